// ecr-push owns delivery: it validates both option sets and checks credentials before any work, recomputes the
// content tag, and builds (with docker-build's own build) only when ECR holds the content nowhere and no build of
// exactly these sources is here. A build record of other sources is never pushed.
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { logger } from '@nx/devkit';
import 'aws-sdk-client-mock-jest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsError } from '../../lib/aws/test-support';
import { buildRecordPath } from '../../lib/records/build-record';
import { ecrPushExecutor } from './executor';
import { fixtureContentTag, harness, HOST, TOKEN, workspace, type Script } from './executor-test-support';

const digest = `sha256:${'1'.repeat(64)}`;
const manifest = '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}';
let CONTENT: string;
let logs: string[];
beforeAll(async () => (CONTENT = await fixtureContentTag()));
beforeEach(() => {
  logs = [];
  for (const level of ['info', 'warn', 'error'] as const) {
    jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => void logs.push(`${level}: ${args.join(' ')}`));
  }
});
afterEach(() => jest.restoreAllMocks());

/** ECR holds the content nowhere until the push; then the pushed digest carries every tag. */
function setup(script?: Script) {
  const h = harness(script);
  const repo = { repositoryName: 'shop-dev-agent', repositoryUri: `${HOST}/shop-dev-agent`, registryId: '123456789012' };
  h.ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ ...repo, imageScanningConfiguration: { scanOnPush: true } }] });
  h.ecrMock
    .on(GetAuthorizationTokenCommand)
    .resolves({ authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: `https://${HOST}` }] });
  h.ecrMock.on(PutImageCommand).resolves({});
  h.ecrMock.on(DescribeImagesCommand).rejects(awsError('ImageNotFoundException'));
  h.ecrMock
    .on(DescribeImagesCommand, { repositoryName: 'shop-dev-agent', imageIds: [{ imageTag: CONTENT }] })
    .rejectsOnce(awsError('ImageNotFoundException'))
    .resolves({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT] }] });
  h.ecrMock
    .on(DescribeImagesCommand, { repositoryName: 'shop-dev-agent', imageIds: [{ imageDigest: digest }] })
    .resolvesOnce({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT] }] })
    .resolves({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT, 'latest', 'abc1234'], imageSizeInBytes: 1 }] });
  h.ecrMock.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: manifest }] });
  return h;
}

const errors = () => logs.filter((line) => line.startsWith('error: '));
const localImageGone: Script = (call) => (call.args[0] === 'image' ? { exitCode: 1, stderr: 'No such image' } : undefined);

describe('ecr-push builds what it delivers', () => {
  test.each<[string, ReturnType<typeof workspace> extends infer C ? () => C : never, Script | undefined]>([
    ['there is no build record', () => workspace('dev', false), undefined],
    [
      'the build record is of other sources (a stale build.json)',
      () => workspace('dev', { contentTag: 'content-000000000000000000000000' }),
      undefined,
    ],
    ['the recorded image is no longer in the local engine', () => workspace(), localImageGone],
  ])('builds with the docker-build target when ECR holds the content nowhere and %s, then pushes it', async (_name, ws, script) => {
    const h = setup(script);
    const context = ws();
    await expect(ecrPushExecutor({}, context, h.deps)).resolves.toEqual({ success: true });
    const [build] = h.runner.builds();
    expect(build?.args).toEqual(
      expect.arrayContaining(['--file', 'apps/agent/Dockerfile', '--tag', `agent:${CONTENT}`, '--platform', 'linux/arm64']),
    );
    expect(h.runner.builds()).toHaveLength(1);
    expect(h.runner.transfers().map((c) => c.args.join(' '))).toEqual([
      `tag agent:${CONTENT} ${HOST}/shop-dev-agent:${CONTENT}`,
      `push ${HOST}/shop-dev-agent:${CONTENT}`,
    ]);
    expect(JSON.parse(readFileSync(buildRecordPath(context.root, 'apps/agent'), 'utf8'))).toMatchObject({
      contentTag: CONTENT,
      built: true,
    });
    const record = JSON.parse(readFileSync(join(context.root, 'dist/images/apps/agent/ecr-push.json'), 'utf8'));
    expect(record).toMatchObject({ outcome: 'pushed', built: true, contentTag: CONTENT, gitSha: 'abc1234' });
  });

  it("runs the build's machine probes beside the latest guard's lookups, not after them", async () => {
    const h = setup();
    const probed = () => h.runner.docker().some((call) => call.args[0] === 'version');
    let probedBeforeLatest: boolean | undefined;
    // ECR answers who holds latest only once the probes started (or after 2 s): in a sequence they would not have.
    h.ecrMock.on(DescribeImagesCommand, { imageIds: [{ imageTag: 'latest' }] }).callsFake(async () => {
      for (let waited = 0; !probed() && waited < 2_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      probedBeforeLatest ??= probed();
      throw awsError('ImageNotFoundException');
    });
    await expect(ecrPushExecutor({}, workspace('dev', false), h.deps)).resolves.toEqual({ success: true });
    expect(probedBeforeLatest).toBe(true);
    expect(h.runner.docker().filter((call) => call.args[0] === 'version')).toHaveLength(1);
    expect(h.runner.builds()).toHaveLength(1);
  });

  it('starts the build without waiting for the latest guard, which is asked again right before latest moves', async () => {
    const h = setup();
    let builtBeforeLatest: boolean | undefined;
    // ECR answers who holds latest only once a build started (or after 2 s): a build that waited for it would not have.
    h.ecrMock.on(DescribeImagesCommand, { imageIds: [{ imageTag: 'latest' }] }).callsFake(async () => {
      for (let waited = 0; h.runner.builds().length === 0 && waited < 2_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      builtBeforeLatest ??= h.runner.builds().length > 0;
      throw awsError('ImageNotFoundException');
    });
    await expect(ecrPushExecutor({}, workspace('dev', false), h.deps)).resolves.toEqual({ success: true });
    expect(builtBeforeLatest).toBe(true);
    // Asked beside the build, and again right before the move.
    expect(h.ecrMock.commandCalls(DescribeImagesCommand, { imageIds: [{ imageTag: 'latest' }] }).length).toBeGreaterThanOrEqual(2);
  });

  it('asks for the registry token while the build runs, once, and pushes with it', async () => {
    let askedBeforeBuild: boolean | undefined;
    const h = setup((call) => {
      if (call.args[0] === 'buildx' && call.args[1] === 'build')
        askedBeforeBuild = h.ecrMock.commandCalls(GetAuthorizationTokenCommand).length > 0;
      return undefined;
    });
    await expect(ecrPushExecutor({}, workspace('dev', false), h.deps)).resolves.toEqual({ success: true });
    expect(askedBeforeBuild).toBe(true);
    expect(h.ecrMock).toHaveReceivedCommandTimes(GetAuthorizationTokenCommand, 1);
    expect(h.runner.transfers().map((call) => call.args[0])).toEqual(['tag', 'push']);
  });

  it('reuses the image a docker-build of these same sources made: no build', async () => {
    const h = setup();
    await expect(ecrPushExecutor({}, workspace(), h.deps)).resolves.toEqual({ success: true });
    expect(h.runner.builds()).toEqual([]);
    expect(h.runner.transfers()).toHaveLength(2);
    // Nothing to build, so no machine probe ran.
    expect(h.runner.docker().map((call) => call.args[0])).toEqual(['image', 'tag', 'push']);
  });

  it('merges buildTargetOptions over the build target (the CI cache) and builds from the target the push names', async () => {
    const h = setup();
    const context = workspace('dev', false);
    context.projectsConfigurations.projects['agent'].targets!['image'] = { executor: 'nx-agent-ecr:docker-arm64-build', options: {} };
    const cache = 'type=registry,ref=123456789012.dkr.ecr.us-east-1.amazonaws.com/cache:agent';
    await ecrPushExecutor({ buildTarget: 'agent:image', buildTargetOptions: { cacheFrom: cache } }, context, h.deps);
    expect(h.runner.builds()[0]?.args).toEqual(expect.arrayContaining(['--cache-from', cache]));
  });

  it('builds nothing and pushes nothing when ECR already holds the content: retag only', async () => {
    const h = setup();
    h.ecrMock
      .on(DescribeImagesCommand, { repositoryName: 'shop-dev-agent', imageIds: [{ imageTag: CONTENT }] })
      .resolves({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT] }] });
    // The lookup read the digest's tags; the only describe of the digest is the verification after the retag.
    h.ecrMock
      .on(DescribeImagesCommand, { repositoryName: 'shop-dev-agent', imageIds: [{ imageDigest: digest }] })
      .resolves({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT, 'latest', 'abc1234'], imageSizeInBytes: 1 }] });
    await expect(ecrPushExecutor({}, workspace('dev', false), h.deps)).resolves.toEqual({ success: true });
    expect(h.runner.docker()).toEqual([]);
  });

  it('fails a failed build in one line with the step, pushes nothing, and leaves no build record', async () => {
    const h = setup((call) =>
      call.args[1] === 'build'
        ? { exitCode: 1, stderr: '#6 [2/2] RUN false\n#6 ERROR: process did not complete successfully: exit code: 1' }
        : undefined,
    );
    const context = workspace('dev', { contentTag: 'content-000000000000000000000000' });
    await expect(ecrPushExecutor({}, context, h.deps)).resolves.toEqual({ success: false });
    expect(errors()[0]).toBe('error: docker buildx build for agent failed with exit code 1 at #6 [2/2] RUN false (the step exited 1).');
    expect(h.runner.transfers()).toEqual([]);
    expect(h.ecrMock).not.toHaveReceivedCommand(PutImageCommand);
    expect(existsSync(buildRecordPath(context.root, 'apps/agent'))).toBe(false);
  });
});

describe('push only (build: false)', () => {
  test.each([
    [
      'a build record of other sources',
      () => workspace('dev', { contentTag: 'content-000000000000000000000000' }),
      undefined,
      /records content-0{24}, a build of other sources than the current content-/,
    ],
    ['no build record', () => workspace('dev', false), undefined, /there is no build record at .*build\.json/],
    ['a recorded image that is gone', () => workspace(), localImageGone, /which is not in the local Docker engine/],
  ])('refuses %s in one line naming the fix, before any build, login or upload', async (_name, ws, script, reason) => {
    const h = setup(script);
    await expect(ecrPushExecutor({ build: false }, ws(), h.deps)).resolves.toEqual({ success: false });
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatch(new RegExp(`^error: ecr-push of agent with build: false found no build of its sources \\(${CONTENT}\\): `));
    expect(errors()[0]).toMatch(reason);
    expect(errors()[0]).toMatch(/Run `nx run agent:docker-build:dev` first, or let ecr-push build \(drop --build=false\)\.$/);
    expect(h.runner.builds()).toEqual([]);
    expect(h.runner.transfers()).toEqual([]);
    expect(h.ecrMock).not.toHaveReceivedCommand(GetAuthorizationTokenCommand);
  });

  it('pushes the build of exactly these sources', async () => {
    const h = setup();
    await expect(ecrPushExecutor({ build: false }, workspace(), h.deps)).resolves.toEqual({ success: true });
    expect(h.runner.builds()).toEqual([]);
  });
});

describe('fails early: options and credentials before any work', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a build option the build would refuse',
      { buildTargetOptions: { platforms: ['linux/arm64', 'linux/amd64'] } },
      /cannot be loaded into the local engine/,
    ],
    [
      'a push option outside its schema',
      { imageTagMutability: 'SOMETIMES' },
      /^imageTagMutability "SOMETIMES" is not one of MUTABLE, IMMUTABLE/,
    ],
    ['a buildTarget that does not exist', { buildTarget: 'agent:nope' }, /^buildTarget "agent:nope" names no target of the workspace/],
    [
      'a buildTarget of another executor',
      { buildTarget: 'agent:ecr-push' },
      /^buildTarget "agent:ecr-push" uses executor nx-agent-ecr:ecr-push, not nx-agent-ecr:docker-arm64-build/,
    ],
  ])('%s: one line, no AWS call, no process', async (_name, options, message) => {
    const h = setup();
    const context = workspace('dev', false);
    context.projectsConfigurations.projects['agent'].targets!['ecr-push'] = { executor: 'nx-agent-ecr:ecr-push' };
    await expect(ecrPushExecutor(options, context, h.deps)).resolves.toEqual({ success: false });
    expect(errors()).toHaveLength(1);
    expect(errors()[0]?.slice('error: '.length)).toMatch(message);
    expect(h.stsMock.calls()).toEqual([]);
    expect(h.runner.calls).toEqual([]);
  });

  it('rejected credentials stop the push before the content tag, any build or any docker call', async () => {
    const h = setup();
    h.stsMock
      .on(GetCallerIdentityCommand)
      .rejects(awsError('InvalidClientTokenId', 'The security token included in the request is invalid'));
    await expect(ecrPushExecutor({}, workspace('dev', false), h.deps)).resolves.toEqual({ success: false });
    expect(errors()).toEqual([expect.stringMatching(/^error: AWS credentials from environment variables .* were rejected/)]);
    expect(h.runner.calls).toEqual([]);
    expect(h.ecrMock.calls()).toEqual([]);
  });
});
