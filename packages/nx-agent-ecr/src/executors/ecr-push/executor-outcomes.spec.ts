// What holds after each way a push can end: the record (success, in-progress, failure), the order tags move in and
// what a failed move reports, immutable tags refused before any work, `latest` only forward, and verification
// that waits out read-after-write lag.
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { logger } from '@nx/devkit';
import 'aws-sdk-client-mock-jest';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { awsError } from '../../lib/aws/test-support';
import { ecrPushExecutor } from './executor';
import { fixtureContentTag, harness, HOST, TOKEN, workspace, type Script } from './executor-test-support';

const digest = `sha256:${'1'.repeat(64)}`;
const older = `sha256:${'0'.repeat(64)}`;
const manifest = '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}';
const repo = { repositoryName: 'shop-dev-agent', repositoryUri: `${HOST}/shop-dev-agent`, registryId: '123456789012' };
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

const errors = () => logs.filter((line) => line.startsWith('error: '));
const recordOf = (root: string) => JSON.parse(readFileSync(join(root, 'dist/images/apps/agent/ecr-push.json'), 'utf8'));
const previousSuccess = (root: string) => {
  const path = join(root, 'dist/images/apps/agent/ecr-push.json');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ project: 'agent', outcome: 'pushed', digest: older }));
};

/** The repository exists with `mutability`; the content is in ECR nowhere; the pushed digest gains tags as they move. */
function setup(options: { script?: Script; mutability?: object; latest?: { digest: string; tags: string[] } } = {}) {
  const h = harness(options.script);
  h.ecrMock
    .on(DescribeRepositoriesCommand)
    .resolves({ repositories: [{ ...repo, imageScanningConfiguration: { scanOnPush: true }, ...options.mutability }] });
  h.ecrMock
    .on(GetAuthorizationTokenCommand)
    .resolves({ authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: `https://${HOST}` }] });
  h.ecrMock.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: manifest }] });
  h.ecrMock.on(PutImageCommand).resolves({});
  h.ecrMock.on(DescribeImagesCommand).rejects(awsError('ImageNotFoundException'));
  h.ecrMock
    .on(DescribeImagesCommand, { imageIds: [{ imageTag: CONTENT }] })
    .rejectsOnce(awsError('ImageNotFoundException'))
    .resolves({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT] }] });
  const tags = [CONTENT];
  h.ecrMock.on(PutImageCommand).callsFake(async (input: { imageTag: string }) => void tags.push(input.imageTag));
  h.ecrMock
    .on(DescribeImagesCommand, { imageIds: [{ imageDigest: digest }] })
    .callsFake(async () => ({ imageDetails: [{ imageDigest: digest, imageTags: [...tags] }] }));
  if (options.latest) {
    const holder = options.latest;
    h.ecrMock.on(DescribeImagesCommand, { imageIds: [{ imageTag: 'latest' }] }).callsFake(async () => ({
      imageDetails: [
        tags.includes('latest') ? { imageDigest: digest, imageTags: tags } : { imageDigest: holder.digest, imageTags: holder.tags },
      ],
    }));
  }
  return { ...h, tags };
}

describe('the record', () => {
  it('is "in-progress" from before the first change, so a killed run never leaves the previous success', async () => {
    let during: unknown;
    const context = workspace();
    const h = setup({ script: (call) => void (call.args[0] === 'push' && (during = recordOf(context.root))) });
    previousSuccess(context.root);
    await expect(ecrPushExecutor({}, context, h.deps)).resolves.toEqual({ success: true });
    expect(during).toMatchObject({ outcome: 'in-progress', contentTag: CONTENT, gitSha: 'abc1234', movedTags: [] });
    expect(recordOf(context.root)).toMatchObject({ outcome: 'pushed', digest, contentTag: CONTENT });
  });

  it('is a failure record when options are refused: the previous success does not stay', async () => {
    const context = workspace();
    previousSuccess(context.root);
    await expect(ecrPushExecutor({ repositoryName: 'Bad_Name!' }, context, setup().deps)).resolves.toEqual({ success: false });
    expect(recordOf(context.root)).toEqual({
      project: 'agent',
      outcome: 'failed',
      error: expect.stringMatching(/^Invalid ECR repository name "Bad_Name!"/),
      movedTags: [],
      seconds: expect.any(Number),
      recordedAt: expect.any(String),
    });
  });

  it('a dry run that fails leaves the previous record alone', async () => {
    const context = workspace();
    previousSuccess(context.root);
    await ecrPushExecutor({ dryRun: true, repositoryName: 'Bad_Name!' }, context, setup().deps);
    expect(recordOf(context.root)).toMatchObject({ outcome: 'pushed', digest: older });
  });
});

describe('tags move content → git sha → latest; a failure names what moved', () => {
  test.each([
    ['the git-sha tag', 'abc1234', ['<content>'], ['abc1234', 'latest']],
    ['latest', 'latest', ['<content>', 'abc1234'], ['latest']],
  ])('PutImage of %s fails after its retries: latest is never left without the git-sha tag', async (_name, failing, moved, notMoved) => {
    const h = setup();
    h.ecrMock.on(PutImageCommand, { imageTag: failing }).rejects(awsError('ServerException', 'We encountered an internal error'));
    const context = workspace();
    await expect(ecrPushExecutor({}, context, h.deps)).resolves.toEqual({ success: false });
    const expectedMoved = moved.map((tag) => (tag === '<content>' ? CONTENT : tag));
    expect(h.tags).toEqual(expectedMoved);
    expect(errors()).toEqual([
      `error: Moving tag ${failing} in shop-dev-agent to ${digest} failed (We encountered an internal error). ` +
        `Moved: ${expectedMoved.join(', ')}; not moved: ${notMoved.join(', ')}. Run the same command again: it moves only the tags that are missing.`,
    ]);
    expect(recordOf(context.root)).toMatchObject({ outcome: 'failed', movedTags: expectedMoved, contentTag: CONTENT });
  });
});

describe('immutable tags', () => {
  it('IMMUTABLE with latest on another image: refused before any build, login or upload, naming the fix', async () => {
    const h = setup({ mutability: { imageTagMutability: 'IMMUTABLE' }, latest: { digest: older, tags: ['latest'] } });
    const context = workspace('dev', false);
    await expect(ecrPushExecutor({}, context, h.deps)).resolves.toEqual({ success: false });
    expect(errors()).toEqual([
      `error: ecr-push of agent would move immutable tag(s) latest → ${older} of shop-dev-agent (IMMUTABLE) to ${CONTENT}; ` +
        'nothing was built or uploaded. Drop latest from tags, or let them move: imageTagMutability IMMUTABLE_WITH_EXCLUSION ' +
        'with imageTagMutabilityExclusionFilters ["latest"].',
    ]);
    expect(h.runner.builds()).toEqual([]);
    expect(h.runner.transfers()).toEqual([]);
    expect(h.ecrMock).not.toHaveReceivedCommand(GetAuthorizationTokenCommand);
    expect(h.ecrMock).not.toHaveReceivedCommand(PutImageCommand);
  });

  it('IMMUTABLE_WITH_EXCLUSION with latest excluded: latest moves, the fixed tags land once', async () => {
    const mutability = {
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }],
    };
    const h = setup({ mutability, latest: { digest: older, tags: ['latest'] } });
    const options = { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' as const, imageTagMutabilityExclusionFilters: ['latest'] };
    await expect(ecrPushExecutor(options, workspace(), h.deps)).resolves.toEqual({ success: true });
    expect(h.tags).toEqual([CONTENT, 'abc1234', 'latest']);
  });
});

describe('latest only moves forward', () => {
  const ours = 'a'.repeat(40);
  const newer = 'f'.repeat(40);
  const ancestor = '0'.repeat(40);
  /** git: HEAD is `ours`; the commit f1f1f1f is `newer`, a descendant of ours; 0a0a0a0 is `ancestor`, one of ours. */
  const git: Script = (call) => {
    const command = call.args.join(' ');
    if (command === 'rev-parse HEAD --short HEAD') return { stdout: `${ours}\nabc1234\n` };
    if (command === 'rev-parse --verify --quiet f1f1f1f^{commit}') return { stdout: newer };
    if (command === 'rev-parse --verify --quiet 0a0a0a0^{commit}') return { stdout: ancestor };
    if (command === `merge-base --is-ancestor ${ours} ${newer}`) return { exitCode: 0 };
    if (command === `merge-base --is-ancestor ${ancestor} ${ours}`) return { exitCode: 0 };
    if (command.startsWith('merge-base') || command.startsWith('rev-parse --verify')) return { exitCode: 1, stdout: '' };
    return undefined;
  };

  it('a run of an older commit leaves latest on the newer image, says so, succeeds, and records no latest', async () => {
    const h = setup({ script: git, latest: { digest: older, tags: ['latest', 'f1f1f1f'] } });
    const context = workspace();
    await expect(ecrPushExecutor({}, context, h.deps)).resolves.toEqual({ success: true });
    expect(h.tags).toEqual([CONTENT, 'abc1234']);
    const because = `it names ${older}, tagged at f1f1f1f, newer than this checkout's aaaaaaaaaaaa`;
    expect(logs).toContain(`info: Left latest where it is: ${because}.`);
    expect(recordOf(context.root)).toMatchObject({ outcome: 'pushed', tags: [CONTENT, 'abc1234'], notMoved: [{ tag: 'latest', because }] });
  });

  it('a run of a newer commit moves latest forward (latest was tagged at an ancestor)', async () => {
    const h = setup({ script: git, latest: { digest: older, tags: ['latest', '0a0a0a0'] } });
    await expect(ecrPushExecutor({}, workspace(), h.deps)).resolves.toEqual({ success: true });
    expect(h.tags).toEqual([CONTENT, 'abc1234', 'latest']);
    // ECR is asked who holds latest three times (before the build, right before the move, after it); git is asked how
    // 0a0a0a0 relates to this checkout once: ancestry does not change within a run.
    expect(h.ecrMock.commandCalls(DescribeImagesCommand, { imageIds: [{ imageTag: 'latest' }] })).toHaveLength(3);
    const asked = h.runner.calls.map((call) => call.args.join(' ')).filter((command) => command.includes('0a0a0a0'));
    expect(asked).toEqual(['rev-parse --verify --quiet 0a0a0a0^{commit}']);
  });

  it.each([
    ['by default: a pause of 1 s, then who holds latest is asked once more', {}, [1000], 3],
    ['latestSettleSeconds 3: the pause is 3 s', { latestSettleSeconds: 3 }, [3000], 3],
    ['latestSettleSeconds 0 (deliveries never overlap): no pause and no third look', { latestSettleSeconds: 0 }, [], 2],
  ])('after the move, %s', async (_name, options, pauses, asks) => {
    const h = setup({ script: git, latest: { digest: older, tags: ['latest', '0a0a0a0'] } });
    const sleeps: number[] = [];
    h.deps.sleep = async (ms) => void sleeps.push(ms);
    await expect(ecrPushExecutor(options, workspace(), h.deps)).resolves.toEqual({ success: true });
    expect(h.tags).toEqual([CONTENT, 'abc1234', 'latest']);
    expect(sleeps.filter((ms) => ms >= 1000)).toEqual(pauses);
    expect(h.ecrMock.commandCalls(DescribeImagesCommand, { imageIds: [{ imageTag: 'latest' }] })).toHaveLength(asks);
  });

  it('an older run that moved latest back during the pause: latest is moved forward again', async () => {
    const h = setup({ script: git, latest: { digest: older, tags: ['latest', '0a0a0a0'] } });
    // The first look after the pause finds the ancestor's image under latest again (its run read latest before ours moved it).
    let movedBack = false;
    h.deps.sleep = async (ms) => void (ms >= 1000 && !movedBack && (movedBack = true) && h.tags.splice(h.tags.indexOf('latest'), 1));
    await expect(ecrPushExecutor({}, workspace(), h.deps)).resolves.toEqual({ success: true });
    expect(h.ecrMock.commandCalls(PutImageCommand, { imageTag: 'latest' })).toHaveLength(2);
    expect(h.tags).toContain('latest');
  });
});

describe('verification', () => {
  it('waits out read-after-write lag: a tag DescribeImages does not list at first is accepted when it appears', async () => {
    const h = setup();
    let lagging = 2;
    h.ecrMock.on(DescribeImagesCommand, { imageIds: [{ imageDigest: digest }] }).callsFake(async () => ({
      imageDetails: [{ imageDigest: digest, imageTags: h.tags.filter((tag) => tag !== 'abc1234' || lagging-- <= 0) }],
    }));
    const sleeps: number[] = [];
    h.deps.sleep = async (ms) => void sleeps.push(ms);
    await expect(ecrPushExecutor({}, workspace(), h.deps)).resolves.toEqual({ success: true });
    // The verification's first two looks miss abc1234: it waits 250 ms, then 500 ms.
    expect(sleeps.filter((ms) => ms < 1000)).toEqual([250, 500]);
  });
});
