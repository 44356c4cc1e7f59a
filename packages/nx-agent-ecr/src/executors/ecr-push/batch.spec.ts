// The ecr-push batch (what `nx run-many -t ecr-push` runs): one planner for the whole run, so an unchanged service
// costs its share of one STS call, one DescribeRepositories and the commit lookup, its own image lookup — and nothing
// after that (no tag lookups, no latest-guard git calls, no verification: the lookup shows every tag in place).
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  PutImageCommand,
  type DescribeImagesCommandInput,
} from '@aws-sdk/client-ecr';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import 'aws-sdk-client-mock-jest';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { logger } from '../../lib/log';
import { recordPath } from '../../lib/records/names';
import { ecrPushBatchOf } from './batch';
import { DOCKERFILE, HOST, harness } from './executor-test-support';

const SERVICES = ['alpha', 'beta', 'gamma', 'delta'];

/** A workspace of several services (each its own sources, so its own content tag) with docker-build targets. */
function workspace(): ExecutorContext {
  const root = mkdtempSync(join(tmpdir(), 'ecr-push-batch-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'shop' }));
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(resolve(__dirname, '../../..'), join(root, 'node_modules', 'nx-agent-ecr'));
  const projects: Record<string, object> = {};
  for (const name of SERVICES) {
    mkdirSync(join(root, 'apps', name), { recursive: true });
    writeFileSync(join(root, 'apps', name, 'Dockerfile'), DOCKERFILE);
    writeFileSync(join(root, 'apps', name, 'app.txt'), `${name}\n`);
    projects[name] = { root: `apps/${name}`, targets: { 'docker-build': { executor: 'nx-agent-ecr:docker-arm64-build', options: {} } } };
  }
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectsConfigurations: { version: 2, projects },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  } as unknown as ExecutorContext;
}

function taskGraph(): TaskGraph {
  const ids = SERVICES.map((name) => `${name}:ecr-push`);
  return {
    roots: ids,
    tasks: Object.fromEntries(
      SERVICES.map((name) => [
        `${name}:ecr-push`,
        { id: `${name}:ecr-push`, target: { project: name, target: 'ecr-push' }, overrides: {} },
      ]),
    ),
    dependencies: Object.fromEntries(ids.map((id) => [id, []])),
    continuousDependencies: {},
  } as unknown as TaskGraph;
}

async function runBatch(context: ExecutorContext, h: ReturnType<typeof harness>) {
  const results = [];
  const inputs = Object.fromEntries(SERVICES.map((name) => [`${name}:ecr-push`, {}]));
  for await (const result of ecrPushBatchOf(h.deps)(taskGraph(), inputs, {}, context)) results.push(result);
  return results;
}

beforeEach(() => {
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(logger, level).mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('ecr-push batch: the run planner', () => {
  it('delivers N unchanged services with 1 STS call, 1 DescribeRepositories naming all, N image lookups, the machine read once, and nothing else', async () => {
    const h = harness();
    h.ecrMock.on(DescribeRepositoriesCommand).callsFake(({ repositoryNames }: { repositoryNames: string[] }) => ({
      repositories: repositoryNames.map((repositoryName) => ({
        repositoryName,
        repositoryUri: `${HOST}/${repositoryName}`,
        registryId: '1',
      })),
    }));
    h.ecrMock.on(DescribeImagesCommand).callsFake(({ repositoryName, imageIds }: DescribeImagesCommandInput) => ({
      imageDetails: [{ imageDigest: `sha256:${repositoryName}`, imageTags: [imageIds?.[0]?.imageTag as string, 'latest', 'abc1234'] }],
    }));
    const context = workspace();
    const results = await runBatch(context, h);
    expect(results.map((r) => [r.task, r.result.success])).toEqual(SERVICES.map((name) => [`${name}:ecr-push`, true]));
    expect(h.stsMock.calls()).toHaveLength(1);
    expect(h.ecrMock).toHaveReceivedCommandTimes(DescribeRepositoriesCommand, 1);
    expect(h.ecrMock).toHaveReceivedCommandWith(DescribeRepositoriesCommand, { repositoryNames: SERVICES.map((s) => `shop-dev-${s}`) });
    expect(h.ecrMock).toHaveReceivedCommandTimes(DescribeImagesCommand, SERVICES.length);
    expect(h.ecrMock.calls()).toHaveLength(1 + SERVICES.length);
    // The checkout's commit, once for the run (not once per service).
    expect(h.runner.calls.filter((call) => call.file === 'git').map((call) => call.args)).toEqual([
      ['rev-parse', 'HEAD', '--short', 'HEAD'],
    ]);
    // The planner reads the machine beside the lookups (a build would need it), once for the run: no build, tag or push.
    expect(h.runner.docker().map((call) => call.args.join(' '))).toEqual([
      'version --format {{.Server.Version}}',
      'buildx version',
      'buildx inspect',
    ]);
    for (const name of SERVICES) {
      const record = JSON.parse(readFileSync(recordPath(context.root, `apps/${name}`, 'push'), 'utf8'));
      expect(record).toMatchObject({ outcome: 'skipped', digest: `sha256:shop-dev-${name}` });
    }
  });

  it('asks for the repositories while the content is hashed, not after', async () => {
    const h = harness();
    h.ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [] });
    // The commit is read beside the hashing: held until DescribeRepositories arrives, it shows whether that call
    // waited for the content tags (then it would arrive only after the 1 s this waits).
    const run = h.deps.run;
    let describedFirst: boolean | undefined;
    h.deps.run = async (file, args, options) => {
      if (file === 'git' && describedFirst === undefined) {
        const sent = () => h.ecrMock.commandCalls(DescribeRepositoriesCommand).length > 0;
        for (let waited = 0; !sent() && waited < 1000; waited += 10) await new Promise((done) => setTimeout(done, 10));
        describedFirst = sent();
      }
      return run(file, args, options);
    };
    await runBatch(workspace(), h);
    expect(describedFirst).toBe(true);
    expect(h.ecrMock).toHaveReceivedCommandTimes(DescribeRepositoriesCommand, 1);
  });

  it('a planner lookup that fails leaves each task to ask again and fail on its own, in one line', async () => {
    const h = harness();
    h.ecrMock.on(DescribeRepositoriesCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const errors: string[] = [];
    jest.spyOn(logger, 'error').mockImplementation((line: unknown) => void errors.push(String(line)));
    const results = await runBatch(workspace(), h);
    expect(results.every((r) => !r.result.success)).toBe(true);
    expect(errors).toHaveLength(SERVICES.length);
    for (const line of errors) expect(line).toMatch(/needs IAM permission "ecr:DescribeRepositories"/);
    expect(h.ecrMock).not.toHaveReceivedCommand(PutImageCommand);
    expect(h.ecrMock).not.toHaveReceivedCommand(BatchGetImageCommand);
  });
});
