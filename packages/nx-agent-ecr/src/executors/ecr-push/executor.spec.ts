// ecr-push orchestration: exact AWS commands and docker calls for push, retag, skip, promote and dry run, and the
// failure paths — with the AWS clients mocked and a scripted docker.
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { logger } from '@nx/devkit';
import 'aws-sdk-client-mock-jest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { awsError } from '../../lib/aws/test-support';
import { ecrPushExecutor } from './executor';
import {
  allTags,
  CONTENT,
  digest,
  HOST,
  loadFixture,
  manifest,
  PASSWORD,
  pushableImage,
  readRecord,
  repo,
  SECRET_KEY,
  setup,
  TOKEN,
  workspace,
} from './executor-test-support';

beforeAll(loadFixture);

let logs: string[];
beforeEach(() => {
  logs = [];
  for (const level of ['info', 'warn', 'error', 'log', 'debug', 'fatal'] as const) {
    jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => void logs.push(`${level}: ${args.join(' ')}`));
  }
});
afterEach(() => jest.restoreAllMocks());

describe('ecrPushExecutor', () => {
  it('pushes the image docker-build made of these sources once with a temp DOCKER_CONFIG, moves the other tags, verifies, records', async () => {
    const h = setup();
    pushableImage(h);
    const context = workspace();
    await expect(ecrPushExecutor({}, context, h.deps)).resolves.toEqual({ success: true });

    expect(h.stsMock).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
    expect(h.ecrMock).toHaveReceivedCommandTimes(GetAuthorizationTokenCommand, 1);
    const [inspect, tag, push] = h.runner.docker();
    expect(inspect.args).toEqual(['image', 'inspect', '--format', '{{.Id}}', `agent:${CONTENT}`]);
    expect(tag.args).toEqual(['tag', `agent:${CONTENT}`, `${HOST}/shop-dev-agent:${CONTENT}`]);
    expect(push.args).toEqual(['push', `${HOST}/shop-dev-agent:${CONTENT}`]);
    expect(h.runner.docker()).toHaveLength(3);
    const configDir = push.options.env?.['DOCKER_CONFIG'] as string;
    expect(configDir.startsWith(h.tmpRoot)).toBe(true);
    expect(JSON.parse(push.dockerConfig as string)).toEqual({ auths: { [HOST]: { auth: TOKEN } } });
    expect(h.ecrMock).toHaveReceivedCommandTimes(PutImageCommand, 2);
    // No round trip twice: the content tag's lookup after the push gives the image's tags, one manifest read serves
    // both moves (up to the last PutImage), and only the verification describes the digest.
    const names = h.ecrMock.calls().map((call) => (call.args[0] as object).constructor.name);
    const moving = names.slice(0, names.lastIndexOf(PutImageCommand.name));
    expect(moving.filter((name) => name === BatchGetImageCommand.name)).toHaveLength(1);
    expect(h.ecrMock.commandCalls(DescribeImagesCommand, { imageIds: [{ imageDigest: digest }] })).toHaveLength(1);
    for (const imageTag of ['latest', 'abc1234']) {
      expect(h.ecrMock).toHaveReceivedCommandWith(PutImageCommand, {
        repositoryName: 'shop-dev-agent',
        imageManifest: manifest,
        imageDigest: digest,
        imageTag,
      });
    }
    expect(existsSync(configDir)).toBe(false);
    expect(readRecord(context.root)).toMatchObject({
      project: 'agent',
      repositoryName: 'shop-dev-agent',
      repositoryUri: repo.repositoryUri,
      digest,
      tags: allTags,
      imageUris: [...allTags.map((t) => `${repo.repositoryUri}:${t}`), `${repo.repositoryUri}@${digest}`],
      sizeBytes: 2048,
      pushedAt: '2026-02-01T00:00:00.000Z',
      outcome: 'pushed',
      built: true,
      // What a deploy ties the record to: the build's content tag and the commit the push ran at (git's short sha).
      contentTag: CONTENT,
      gitSha: 'abc1234',
    });
    expect(logs.join('\n')).toContain(`${repo.repositoryUri}@${digest}`);
  });

  it('creates a missing repository with the options before pushing', async () => {
    const h = setup();
    h.ecrMock.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'));
    h.ecrMock.on(CreateRepositoryCommand).resolves({ repository: repo });
    pushableImage(h);
    await expect(ecrPushExecutor({ imageTagMutability: 'IMMUTABLE', scanOnPush: false }, workspace(), h.deps)).resolves.toEqual({
      success: true,
    });
    expect(h.ecrMock).toHaveReceivedCommandWith(CreateRepositoryCommand, {
      repositoryName: 'shop-dev-agent',
      imageScanningConfiguration: { scanOnPush: false },
      imageTagMutability: 'IMMUTABLE',
      encryptionConfiguration: { encryptionType: 'AES256' },
    });
  });

  it('warns about repository settings that differ and changes nothing', async () => {
    const h = setup();
    h.ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ ...repo, imageScanningConfiguration: { scanOnPush: false } }] });
    pushableImage(h);
    await ecrPushExecutor({}, workspace(), h.deps);
    expect(logs).toContain('warn: Repository shop-dev-agent: scanOnPush is false, options ask for true (not changed).');
    expect(h.ecrMock).not.toHaveReceivedCommand(CreateRepositoryCommand);
  });

  it('only retags when the target repository already holds the content tag: no login, no docker', async () => {
    const h = setup();
    h.ecrMock
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: CONTENT }] })
      .resolves({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT, 'latest'] }] });
    // The lookup above read the digest's tags: the only describe of the digest is the verification after the retag.
    h.ecrMock
      .on(DescribeImagesCommand, { imageIds: [{ imageDigest: digest }] })
      .resolves({ imageDetails: [{ imageDigest: digest, imageTags: allTags, imageSizeInBytes: 5 }] });
    const context = workspace();
    await expect(ecrPushExecutor({}, context, h.deps)).resolves.toEqual({ success: true });
    expect(h.runner.docker()).toEqual([]);
    expect(h.ecrMock).not.toHaveReceivedCommand(GetAuthorizationTokenCommand);
    expect(h.ecrMock).toHaveReceivedCommandTimes(PutImageCommand, 1);
    expect(h.ecrMock).toHaveReceivedCommandTimes(DescribeImagesCommand, 2);
    expect(h.ecrMock).toHaveReceivedCommandWith(PutImageCommand, { imageTag: 'abc1234', imageDigest: digest });
    expect(readRecord(context.root)).toMatchObject({ outcome: 'retagged', digest });
  });

  it('reports "skipped" when every tag is already on the image, after one STS, one repository and one image lookup', async () => {
    const h = setup();
    h.ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: digest, imageTags: allTags, imageSizeInBytes: 5 }] });
    const context = workspace();
    await expect(ecrPushExecutor({}, context, h.deps)).resolves.toEqual({ success: true });
    expect(h.ecrMock).not.toHaveReceivedCommand(PutImageCommand);
    expect(readRecord(context.root)).toMatchObject({ outcome: 'skipped', sizeBytes: 5 });
    expect(h.stsMock.calls()).toHaveLength(1);
    expect(h.ecrMock.calls().map((call) => call.args[0].constructor.name)).toEqual([
      'DescribeRepositoriesCommand',
      'DescribeImagesCommand',
    ]);
  });

  it('promotes from the dev repository registry to registry (mount + PutImage, digest kept), without docker, once the scan gate passed', async () => {
    const h = setup();
    h.ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolves({ imageScanStatus: { status: 'COMPLETE' }, imageScanFindings: { imageScanCompletedAt: new Date(0), findings: [] } });
    const prod = { ...repo, repositoryName: 'shop-prod-agent', repositoryUri: `${HOST}/shop-prod-agent` };
    const dev = { ...repo, repositoryName: 'shop-dev-agent', repositoryUri: `${HOST}/shop-dev-agent` };
    h.ecrMock.on(DescribeRepositoriesCommand).callsFake(({ repositoryNames }: { repositoryNames: string[] }) => ({
      repositories: [prod, dev].filter((r) => repositoryNames.includes(r.repositoryName)),
    }));
    h.ecrMock
      .on(DescribeImagesCommand, { repositoryName: 'shop-prod-agent', imageIds: [{ imageTag: CONTENT }] })
      .rejects(awsError('ImageNotFoundException'));
    h.ecrMock
      .on(DescribeImagesCommand, { repositoryName: 'shop-dev-agent', imageIds: [{ imageTag: CONTENT }] })
      .resolves({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT] }] });
    h.ecrMock
      .on(DescribeImagesCommand, { repositoryName: 'shop-prod-agent', imageIds: [{ imageDigest: digest }] })
      .resolvesOnce({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT] }] })
      .resolvesOnce({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT, 'abc1234'] }] })
      .resolves({ imageDetails: [{ imageDigest: digest, imageTags: allTags, imageSizeInBytes: 9 }] });
    const requests: string[] = [];
    h.deps.fetch = (async (url: string, init: RequestInit) => {
      requests.push(`${init.method} ${url}`);
      return new Response(null, { status: init.method === 'HEAD' ? 404 : 201 });
    }) as typeof fetch;
    const context = workspace('prod');
    await expect(ecrPushExecutor({ environment: 'prod' }, context, h.deps)).resolves.toEqual({ success: true });
    expect(h.runner.docker()).toEqual([]);
    // The manifest above references no blobs: no blob is checked or copied (the one request is the pinned base's
    // platform check, which reads its manifest).
    expect(requests).toEqual([`undefined https://registry.example/v2/base/manifests/sha256:${'b'.repeat(64)}`]);
    expect(h.ecrMock).toHaveReceivedCommandWith(BatchGetImageCommand, {
      repositoryName: 'shop-dev-agent',
      imageIds: [{ imageDigest: digest }],
    });
    expect(h.ecrMock).toHaveReceivedCommandWith(PutImageCommand, {
      repositoryName: 'shop-prod-agent',
      imageManifest: manifest,
      imageDigest: digest,
      imageTag: CONTENT,
    });
    expect(h.ecrMock).toHaveReceivedCommandWith(PutImageCommand, { repositoryName: 'shop-prod-agent', imageTag: 'latest' });
    expect(readRecord(context.root)).toMatchObject({
      outcome: 'promoted',
      digest,
      repositoryName: 'shop-prod-agent',
      scan: { status: 'COMPLETE', counts: {}, threshold: 'CRITICAL' },
    });
    expect(h.ecrMock).toHaveReceivedCommandWith(DescribeImageScanFindingsCommand, {
      repositoryName: 'shop-dev-agent',
      imageId: { imageDigest: digest },
    });
    expect(logs).toContain(`info: Scan gate: shop-dev-agent@${digest.slice(0, 19)} passed (no findings; failOnSeverity CRITICAL).`);
  });

  it('dry run: plans from the recomputed content tag, "would build" with the command; creates, logs in to, builds and pushes nothing', async () => {
    const h = setup();
    h.ecrMock.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'));
    h.ecrMock.on(DescribeImagesCommand).rejects(awsError('RepositoryNotFoundException'));
    const context = workspace('dev', false);
    await expect(ecrPushExecutor({ dryRun: true }, context, h.deps)).resolves.toEqual({ success: true });
    expect(h.ecrMock).not.toHaveReceivedCommand(CreateRepositoryCommand);
    expect(h.ecrMock).not.toHaveReceivedCommand(PutImageCommand);
    expect(h.ecrMock).not.toHaveReceivedCommand(GetAuthorizationTokenCommand);
    expect(h.runner.docker()).toEqual([]);
    expect(h.sessions).toEqual([]);
    const text = logs.join('\n');
    const contentTag = /would build agent:(content-[0-9a-f]{24}): docker buildx build --progress=plain --file apps\/agent\/Dockerfile/.exec(
      text,
    )?.[1];
    expect(contentTag).toBe(CONTENT);
    expect(h.ecrMock).toHaveReceivedCommandWith(DescribeImagesCommand, {
      repositoryName: 'shop-dev-agent',
      imageIds: [{ imageTag: contentTag }],
    });
    expect(text).toContain('Dry run (read-only calls only');
    expect(text).toContain('repository: shop-dev-agent (created on push) — would be created');
    expect(text).toContain(`push: agent:${contentTag}`);
    expect(readRecord(context.root)).toMatchObject({ outcome: 'dry-run', built: false });
  });

  it('dry run: "skip" when ECR already holds the content, with no build record needed', async () => {
    const h = setup();
    h.ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: digest, imageTags: allTags }] });
    await expect(ecrPushExecutor({ dryRun: true }, workspace('dev', false), h.deps)).resolves.toEqual({ success: true });
    expect(logs.join('\n')).toMatch(/skip: sha256:1+ already carries content-[0-9a-f]{24}; only tags move/);
    expect(logs.join('\n')).not.toContain('would build');
  });

  it('fails in one line before any ECR call when credentials are expired (ExpiredTokenException)', async () => {
    const h = setup();
    h.stsMock
      .on(GetCallerIdentityCommand)
      .rejects(awsError('ExpiredTokenException', 'The security token included in the request is expired'));
    await expect(ecrPushExecutor({}, workspace(), h.deps)).resolves.toEqual({ success: false });
    expect(h.ecrMock.calls()).toHaveLength(0);
    expect(logs.filter((l) => l.startsWith('error'))).toEqual([
      'error: AWS credentials from environment variables (AWS_ACCESS_KEY_ID) ' +
        'were rejected (The security token included in the request ' +
        'is expired). Fix: export fresh AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY ' +
        '/ AWS_SESSION_TOKEN, or unset them to use a profile.',
    ]);
  });

  it('rejects a bad repository name in one line before calling AWS', async () => {
    const h = setup();
    await expect(ecrPushExecutor({ repositoryName: 'Bad_Name!' }, workspace(), h.deps)).resolves.toEqual({ success: false });
    expect(h.stsMock.calls()).toHaveLength(0);
    expect(logs).toEqual([expect.stringMatching(/^error: Invalid ECR repository name "Bad_Name!": .*--repositoryName/)]);
  });

  it('names the missing IAM action on AccessDeniedException', async () => {
    const h = setup();
    h.ecrMock.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'));
    h.ecrMock.on(DescribeImagesCommand).rejects(awsError('RepositoryNotFoundException'));
    h.ecrMock.on(CreateRepositoryCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform ecr:CreateRepository'));
    await expect(ecrPushExecutor({}, workspace(), h.deps)).resolves.toEqual({ success: false });
    expect(logs.join('\n')).toContain(
      'error: Access denied: the role needs IAM permission "ecr:CreateRepository" on repository shop-dev-agent',
    );
  });

  it('logs in again and pushes once more when the registry token expired mid-run', async () => {
    let pushes = 0;
    const h = setup((call) =>
      call.args[0] === 'push' && ++pushes === 1 ? { exitCode: 1, stderr: 'unauthorized: authentication required' } : undefined,
    );
    pushableImage(h);
    await expect(ecrPushExecutor({}, workspace(), h.deps)).resolves.toEqual({ success: true });
    expect(h.ecrMock).toHaveReceivedCommandTimes(GetAuthorizationTokenCommand, 2);
    expect(pushes).toBe(2);
  });

  it('retries transient push errors with backoff, up to pushAttempts, then fails with the last line', async () => {
    const h = setup((call) => (call.args[0] === 'push' ? { exitCode: 1, stderr: 'write tcp: connection reset by peer' } : undefined));
    const sleeps: number[] = [];
    h.deps.sleep = async (ms) => void sleeps.push(ms);
    pushableImage(h);
    await expect(ecrPushExecutor({ pushAttempts: 3 }, workspace(), h.deps)).resolves.toEqual({ success: false });
    expect(h.runner.transfers().filter((c) => c.args[0] === 'push')).toHaveLength(3);
    expect(sleeps).toEqual([2000, 4000]);
    expect(logs.join('\n')).toContain('failed (exit 1, attempt 3/3): write tcp: connection reset by peer');
  });
});

describe('secrets and the temp Docker config', () => {
  const userConfig = join(homedir(), '.docker', 'config.json');
  const snapshot = () => (existsSync(userConfig) ? readFileSync(userConfig) : undefined);

  it.each([
    ['success (verbose)', undefined, true],
    // The failing docker push echoes every secret in its last line, which ecr-push quotes: only redaction keeps it out.
    ['failure (verbose)', `denied: Basic ${TOKEN} (password ${PASSWORD}, key ${SECRET_KEY})`, false],
  ])(
    '%s: no byte of stdout/stderr/logs/record carries the token, password or secret key; ~/.docker untouched; temp dir removed',
    async (_name, failure, ok) => {
      const before = snapshot();
      const written: string[] = [];
      for (const stream of [process.stdout, process.stderr]) {
        jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
      }
      const h = setup((call) => (call.args[0] === 'push' && failure ? { exitCode: 1, stderr: failure } : undefined));
      pushableImage(h);
      const context = { ...workspace(), isVerbose: true };
      await expect(ecrPushExecutor({}, context, h.deps)).resolves.toEqual({ success: ok });
      const record = existsSync(join(context.root, 'dist/images/apps/agent/ecr-push.json'))
        ? readFileSync(join(context.root, 'dist/images/apps/agent/ecr-push.json'), 'utf8')
        : '';
      const everything = [...written, ...logs, record].join('\n');
      expect(everything.length).toBeGreaterThan(0);
      for (const secret of [TOKEN, PASSWORD, SECRET_KEY]) expect(everything).not.toContain(secret);
      if (!ok) expect(logs.join('\n')).toContain('denied: Basic *** (password ***, key ***)');
      expect(snapshot()).toEqual(before);
      expect(readdirSync(h.tmpRoot)).toEqual([]);
    },
  );

  it('on SIGINT during the push: the task signal aborts it, the temp dir goes, one error line, no listener left', async () => {
    let dirDuringPush = '';
    let signalOfPush: AbortSignal | undefined;
    const h = setup((call) => {
      if (call.args[0] !== 'push') return undefined;
      dirDuringPush = call.options.env?.['DOCKER_CONFIG'] as string;
      signalOfPush = call.options.signal;
      h.signals.emit('SIGINT');
      return { exitCode: 130, canceled: true };
    });
    pushableImage(h);
    await expect(ecrPushExecutor({}, workspace(), h.deps)).resolves.toEqual({ success: false });
    expect(signalOfPush?.aborted).toBe(true);
    expect(dirDuringPush).not.toBe('');
    expect(existsSync(dirDuringPush)).toBe(false);
    expect(logs.filter((l) => l.startsWith('error'))).toEqual(['error: ecr-push of agent canceled.']);
    expect(h.signals.listenerCount('SIGINT') + h.signals.listenerCount('SIGTERM') + h.signals.listenerCount('exit')).toBe(0);
  });
});
