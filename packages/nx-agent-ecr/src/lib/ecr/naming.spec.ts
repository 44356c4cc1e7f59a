// Repository naming and tags: resolution order, validation, and the .env.ecr file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  promoteFromRepositoryName,
  readEnvFile,
  repositoryNameError,
  resolveNaming,
  resolveTags,
  resolveWorkspaceNaming,
  safeName,
  tagError,
  workspaceName,
} from './naming';

const facts = { env: {}, envFile: {}, workspaceName: 'acme-ws', nxProject: 'langgraph' };

describe('resolveNaming', () => {
  test.each([
    ['defaults: workspace name, dev, Nx project', {}, facts, 'acme-ws-dev-langgraph'],
    [
      'env vars over workspace defaults',
      {},
      { ...facts, env: { PROJECT_NAME: 'multi-agent-orchestrator', ENVIRONMENT: 'staging' } },
      'multi-agent-orchestrator-staging-langgraph',
    ],
    [
      '.env.ecr when the env var is unset',
      {},
      { ...facts, envFile: { PROJECT_NAME: 'from-file', ENVIRONMENT: 'prod' } },
      'from-file-prod-langgraph',
    ],
    [
      'process env wins over .env.ecr',
      {},
      { ...facts, env: { PROJECT_NAME: 'from-env' }, envFile: { PROJECT_NAME: 'from-file' } },
      'from-env-dev-langgraph',
    ],
    [
      'options win over everything',
      { projectName: 'p', environment: 'prod', service: 's' },
      { ...facts, env: { PROJECT_NAME: 'x', ENVIRONMENT: 'y' } },
      'p-prod-s',
    ],
    ['repositoryName overrides the template', { repositoryName: 'team/agent' }, facts, 'team/agent'],
  ])('%s', (_name, options, input, expected) => {
    expect(resolveNaming(options, input).repositoryName).toBe(expected);
  });
});

describe('repositoryNameError', () => {
  test.each(['a1', 'multi-agent-orchestrator-dev-langgraph', 'team/sub/agent', 'a.b_c-d'])('accepts %s', (name) => {
    expect(repositoryNameError(name)).toBeUndefined();
  });
  test.each(['A-dev-x', '-x', 'x-', 'a--b', 'a//b', 'a', 'a b', '@scope/x'])('rejects %s in one line naming the value', (name) => {
    const error = repositoryNameError(name);
    expect(error).toContain(`"${name}"`);
    expect(error).not.toContain('\n');
  });
});

describe('resolveTags', () => {
  test.each([
    ['default: content tag, latest, git sha', undefined, 'abc1234', ['content-1', 'latest', 'abc1234']],
    ['without git the sha tag is left out', undefined, undefined, ['content-1', 'latest']],
    ['placeholders are filled in', ['{environment}', 'sha-{gitSha}'], 'abc1234', ['content-1', 'dev', 'sha-abc1234']],
    ['the content tag is never duplicated', ['content-1', 'v1'], 'abc1234', ['content-1', 'v1']],
  ])('%s', (_name, tags, gitSha, expected) => {
    expect(resolveTags(tags, { gitSha, environment: 'dev', contentTag: 'content-1' })).toEqual(expected);
  });

  test.each([
    ['latest', true],
    ['v1.2.3', true],
    ['.hidden', false],
    ['a:b', false],
    ['x'.repeat(129), false],
  ])('tag %s valid=%s', (tag, ok) => {
    expect(tagError(tag) === undefined).toBe(ok);
  });
});

describe('promoteFromRepositoryName', () => {
  const naming = { projectName: 'p', environment: 'prod', service: 's', repositoryName: 'p-prod-s' };
  test.each([
    ['the dev repository of the same service by default', {}, 'p-dev-s'],
    ['another environment', { promoteFrom: 'staging' }, 'p-staging-s'],
    ['none when disabled', { promoteFrom: '' }, undefined],
    ['an explicit repository', { promoteFromRepository: 'x/y' }, 'x/y'],
    ['none with a custom repositoryName and no explicit source', { repositoryName: 'custom' }, undefined],
  ])('%s', (_name, options, expected) => {
    expect(promoteFromRepositoryName(naming, options)).toBe(expected);
  });

  it('is none when the environment is the source environment itself', () => {
    expect(promoteFromRepositoryName({ ...naming, environment: 'dev', repositoryName: 'p-dev-s' }, {})).toBeUndefined();
  });
});

describe('workspace files', () => {
  const root = mkdtempSync(join(tmpdir(), 'naming-'));

  it('reads .env.ecr with dotenv (quotes, comments, export lines)', () => {
    writeFileSync(join(root, '.env.ecr'), '# seeds\nPROJECT_NAME="multi-agent-orchestrator"\nENVIRONMENT=staging # comment\n');
    expect(readEnvFile(root)).toEqual({ PROJECT_NAME: 'multi-agent-orchestrator', ENVIRONMENT: 'staging' });
    expect(resolveWorkspaceNaming({}, root, 'svc', {}).repositoryName).toBe('multi-agent-orchestrator-staging-svc');
  });

  it('names the workspace after package.json, made repository-safe', () => {
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: '@Acme/Agents' }));
    expect(workspaceName(root)).toBe('acme-agents');
    expect(safeName('My Workspace!')).toBe('my-workspace');
  });

  it('reads nothing when there is no .env.ecr', () => {
    expect(readEnvFile(mkdtempSync(join(tmpdir(), 'naming-')))).toEqual({});
  });
});
