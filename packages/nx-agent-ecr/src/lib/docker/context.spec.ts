// The Docker context: which ignore file BuildKit uses, its rules, and which context paths reach the image.
import { contextFilter, ignoreFileCandidates, mayOverlap, parseIgnoreRules, readDockerContext } from './context';
import { memoryWorkspaceFiles } from '../workspace-files';
import type { DockerfileSource } from './dockerfile-sources';

const sources = (...paths: string[]): DockerfileSource[] => paths.map((path) => ({ path, instruction: 'COPY' }));

describe('ignoreFileCandidates', () => {
  const build = { dockerfile: 'apps/svc/Dockerfile', contextDir: '' };
  test.each([
    [
      'the Dockerfile-specific file wins',
      ['apps/svc/Dockerfile.dockerignore', '.dockerignore'],
      { active: 'apps/svc/Dockerfile.dockerignore', watched: ['apps/svc/Dockerfile.dockerignore'] },
    ],
    [
      'else the context .dockerignore, and the specific path is watched',
      ['.dockerignore'],
      { active: '.dockerignore', watched: ['.dockerignore', 'apps/svc/Dockerfile.dockerignore'] },
    ],
    ['none', [], { active: undefined, watched: ['.dockerignore', 'apps/svc/Dockerfile.dockerignore'] }],
  ])('%s', (_name, existing: string[], expected) => {
    expect(ignoreFileCandidates(build, (file) => existing.includes(file))).toEqual(expected);
  });
});

describe('parseIgnoreRules', () => {
  test('reads rules in order, skips comments and blank lines, marks "!" re-includes', () => {
    expect(parseIgnoreRules('# allow-list\n*\n\n!apps/svc/src/\n ./tests \n!/libs/x\n')).toEqual([
      { pattern: '*', include: false },
      { pattern: 'apps/svc/src', include: true },
      { pattern: 'tests', include: false },
      { pattern: 'libs/x', include: true },
    ]);
  });
});

describe('mayOverlap', () => {
  test.each([
    ['apps/a', 'apps/a/src', true],
    ['apps/a', 'apps/b', false],
    ['*', 'apps/a', true],
    ['**/__pycache__', 'libs/x', true],
    ['libs/x/*.py', 'libs/y', false],
  ])('%s and %s -> %s', (a, b, expected) => {
    expect(mayOverlap(a, b)).toBe(expected);
  });
});

describe('readDockerContext', () => {
  test('reads the active ignore file, its rules and the Dockerfile sources through the files port', () => {
    const files = memoryWorkspaceFiles({
      'apps/svc/Dockerfile': 'FROM x\nCOPY apps/svc/src /app\nCOPY --from=build /a /b\n',
      'apps/svc/Dockerfile.dockerignore': '*\n!apps/svc/src\n',
      '.dockerignore': 'ignored-because-the-specific-file-wins\n',
    });
    expect(readDockerContext({ dockerfile: 'apps/svc/Dockerfile', contextDir: '' }, files)).toEqual({
      dockerfile: 'apps/svc/Dockerfile',
      contextDir: '',
      ignoreFile: 'apps/svc/Dockerfile.dockerignore',
      watchedIgnoreFiles: ['apps/svc/Dockerfile.dockerignore'],
      ignoreText: '*\n!apps/svc/src\n',
      rules: [
        { pattern: '*', include: false },
        { pattern: 'apps/svc/src', include: true },
      ],
      dockerfileText: 'FROM x\nCOPY apps/svc/src /app\nCOPY --from=build /a /b\n',
      sources: sources('apps/svc/src'),
    });
  });
});

describe('contextFilter', () => {
  const allowList = {
    rules: parseIgnoreRules('*\n!apps/svc/src\n!libs/common\nlibs/common/tests\n'),
    sources: sources('apps/svc/src', 'libs/common'),
  };
  test.each<[string, { rules: ReturnType<typeof parseIgnoreRules>; sources: DockerfileSource[] }, string, boolean]>([
    ['a copied file', allowList, 'apps/svc/src/main.py', true],
    ['a file of a copied lib', allowList, 'libs/common/x.py', true],
    ['a copied lib file the ignore file drops again', allowList, 'libs/common/tests/t.py', false],
    ['a file the allow-list never re-includes', allowList, 'apps/svc/README.md', false],
    ['a file nobody copies, though not ignored', { rules: [], sources: sources('src') }, 'README.md', false],
    [
      'anything not ignored when the whole context is copied',
      { rules: parseIgnoreRules('*.md'), sources: sources('') },
      'docs/a.txt',
      true,
    ],
    ['an ignored file of a whole-context copy', { rules: parseIgnoreRules('*.md'), sources: sources('') }, 'README.md', false],
    ['a glob source', { rules: [], sources: sources('*.txt') }, 'requirements.txt', true],
    ['a glob source does not cross directories', { rules: [], sources: sources('*.txt') }, 'docs/a.txt', false],
  ])('reaches: %s', (_name, context, path, expected) => {
    expect(contextFilter(context).reaches(path)).toBe(expected);
  });

  test.each<[string, string, string[], boolean]>([
    ['an ignored directory no rule re-includes', 'node_modules\n', ['node_modules'], false],
    ['an ignored parent of a re-included tree', '*\n!apps/svc\n', ['apps'], true],
    ['an ignored sibling of a re-included tree', '*\n!apps/svc\n', ['apps/other'], false],
    ['below a re-included tree', '*\n!apps/svc\n', ['apps/svc/deep'], true],
    ['a wildcard re-include may reach anywhere', 'node_modules\n!**/*.py\n', ['node_modules'], true],
    ['a wildcard segment may match the directory', 'node_modules\n!*/keep\n', ['node_modules'], true],
  ])('mayHoldReaching: %s', (_name, ignoreText, [dir], expected) => {
    expect(contextFilter({ rules: parseIgnoreRules(ignoreText), sources: sources('') }).mayHoldReaching(dir)).toBe(expected);
  });

  test('a directory no COPY can reach is not walked, even when nothing is ignored', () => {
    expect(contextFilter({ rules: [], sources: sources('src') }).mayHoldReaching('node_modules')).toBe(false);
  });
});
