import type { DockerfileSource } from '../docker/dockerfile-sources';
import { parseIgnoreRules } from '../docker/context';
import { excludedPatterns, imageInputs, includedPatterns, toInputPattern } from './image-inputs';

const sources = (...paths: string[]): DockerfileSource[] => paths.map((path) => ({ path, instruction: 'COPY' }));

describe('includedPatterns', () => {
  const allowList = parseIgnoreRules('*\n!libs/common\n!apps/svc/src\n!apps/svc/requirements.txt\n');
  test.each([
    ['no ignore file: each source as file and tree', sources('src', 'main.py'), [], ['src', 'src/**/*', 'main.py', 'main.py/**/*']],
    ['"." is the whole context', sources(''), [], ['**/*']],
    ['a glob source is kept as a glob', sources('src/*.py'), [], ['src/*.py', 'src/*.py/**/*']],
    [
      're-included sources of an allow-list',
      sources('libs/common', 'apps/svc/src'),
      allowList,
      ['libs/common', 'libs/common/**/*', 'apps/svc/src', 'apps/svc/src/**/*'],
    ],
    [
      'a whole-context copy narrows to what the allow-list re-includes',
      sources(''),
      allowList,
      [
        'libs/common',
        'libs/common/**/*',
        'apps/svc/src',
        'apps/svc/src/**/*',
        'apps/svc/requirements.txt',
        'apps/svc/requirements.txt/**/*',
      ],
    ],
    [
      'a re-included glob inside a dropped source stays a glob',
      sources('libs'),
      parseIgnoreRules('*\n!libs/*/src\n'),
      ['libs/*/src', 'libs/*/src/**/*'],
    ],
    [
      'a re-include that may reach into a dropped source keeps the whole source',
      sources('libs'),
      parseIgnoreRules('*\n!**/*.py\n'),
      ['libs', 'libs/**/*'],
    ],
    [
      'a source the ignore file drops contributes its re-included parts only',
      sources('libs'),
      allowList,
      ['libs/common', 'libs/common/**/*'],
    ],
    ['a dropped source with nothing re-included contributes nothing', sources('docs'), allowList, []],
  ])('%s', (_name, given, rules, expected) => {
    expect(includedPatterns(given, rules)).toEqual(expected);
  });

  test('a known file gets no tree pattern', () => {
    expect(includedPatterns(sources('requirements.txt'), [], (path) => path === 'requirements.txt')).toEqual(['requirements.txt']);
  });
});

describe('excludedPatterns', () => {
  test.each([
    ['plain exclusions', '**/__pycache__\ntests\n', [], ['**/__pycache__', '**/__pycache__/**/*', 'tests', 'tests/**/*']],
    ['an exclusion a later "!" may undo is not used', '*\n!src\n', [], []],
    [
      'an exclusion after the re-include is used',
      '*\n!libs/common\nlibs/common/tests\n',
      [],
      ['libs/common/tests', 'libs/common/tests/**/*'],
    ],
    ['an exclusion that drops the Dockerfile is not used', 'Dockerfile*\n*.md\n', ['Dockerfile'], ['*.md', '*.md/**/*']],
  ])('%s', (_name, text, keep, expected) => {
    expect(excludedPatterns(parseIgnoreRules(text), keep)).toEqual(expected);
  });
});

describe('toInputPattern', () => {
  test.each([
    ['apps/svc/src', '{workspaceRoot}/apps/svc/src'],
    ['!libs/common/tests/**/*', '!{workspaceRoot}/libs/common/tests/**/*'],
  ])('%s -> %s', (path, expected) => {
    expect(toInputPattern(path)).toBe(expected);
  });
});

describe('imageInputs', () => {
  test('a service that copies a shared lib, with a Dockerfile-specific allow-list', () => {
    const inputs = imageInputs({
      contextDir: '',
      dockerfile: 'apps/svc/Dockerfile',
      watchedIgnoreFiles: ['apps/svc/Dockerfile.dockerignore'],
      sources: sources('libs/common', 'apps/svc/requirements.txt', 'apps/svc/src'),
      rules: parseIgnoreRules('*\n!libs/common\n!apps/svc/requirements.txt\n!apps/svc/src\nlibs/common/tests\n**/__pycache__\n'),
      isFile: (path) => path.endsWith('.txt'),
    });
    expect(inputs).toEqual([
      '{workspaceRoot}/apps/svc/Dockerfile',
      '{workspaceRoot}/apps/svc/Dockerfile.dockerignore',
      '{workspaceRoot}/libs/common',
      '{workspaceRoot}/libs/common/**/*',
      '{workspaceRoot}/apps/svc/requirements.txt',
      '{workspaceRoot}/apps/svc/src',
      '{workspaceRoot}/apps/svc/src/**/*',
      '!{workspaceRoot}/libs/common/tests',
      '!{workspaceRoot}/libs/common/tests/**/*',
      '!{workspaceRoot}/**/__pycache__',
      '!{workspaceRoot}/**/__pycache__/**/*',
      { externalDependencies: [] },
    ]);
  });

  test('a self-contained service: context is the project root, its .dockerignore drops tests and docs', () => {
    const inputs = imageInputs({
      contextDir: 'apps/svc',
      dockerfile: 'apps/svc/Dockerfile',
      watchedIgnoreFiles: ['apps/svc/.dockerignore', 'apps/svc/Dockerfile.dockerignore'],
      sources: sources(''),
      rules: parseIgnoreRules('tests\n*.md\nDockerfile\n.dockerignore\n'),
    });
    expect(inputs).toEqual([
      '{workspaceRoot}/apps/svc/Dockerfile',
      '{workspaceRoot}/apps/svc/.dockerignore',
      '{workspaceRoot}/apps/svc/Dockerfile.dockerignore',
      '{workspaceRoot}/apps/svc/**/*',
      '!{workspaceRoot}/apps/svc/tests',
      '!{workspaceRoot}/apps/svc/tests/**/*',
      '!{workspaceRoot}/apps/svc/*.md',
      '!{workspaceRoot}/apps/svc/*.md/**/*',
      { externalDependencies: [] },
    ]);
  });
});
