// Orchestration of docker-arm64-build against a scripted process runner and mocked AWS clients.
import { DescribeImagesCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { logger, type ExecutorContext } from '@nx/devkit';
import 'aws-sdk-client-mock-jest';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { awsError, mockedClients } from '../../lib/aws/test-support';
import { buildRecordPath } from '../../lib/records/build-record';
import { CommandNotFoundError, type RunOptions, type RunResult } from '../../lib/process';
import { createRunScope } from '../../lib/task/run-scope';
import { dockerArm64BuildExecutor, type BuildDeps } from './executor';
import type { DockerArm64BuildExecutorSchema } from './schema';

/** Pinned by digest: no registry lookup (base-image resolution has its own specs). */
const BASE = `base@sha256:${'c'.repeat(64)}`;
const INSPECT = 'Name: default\nDriver: docker\nPlatforms: linux/amd64, linux/arm64, linux/386\n';
const METADATA = { 'containerimage.config.digest': 'sha256:cfg', 'containerimage.digest': 'sha256:man' };

interface Call {
  command: string;
  args: readonly string[];
  options: RunOptions;
}
type Answer = Partial<RunResult> | Error | ((call: Call) => Partial<RunResult> | Promise<Partial<RunResult>>);

let root: string;
let calls: Call[];
let answers: [string, Answer][];
let logs: string[];
let aws: ReturnType<typeof mockedClients>;
let signals: EventEmitter;

/** Answers by the first matching command prefix; the build writes buildx's metadata file like the real one. */
function deps(): BuildDeps {
  return {
    machine: { hostArch: 'x64', binfmtRegistered: () => true },
    now: () => new Date('2026-01-02T03:04:05.000Z'),
    env: process.env,
    newScope: () => createRunScope({ createClients: () => aws.clients, signals }),
    run: async (file, args, options = {}) => {
      const call = { command: [file, ...args].join(' '), args, options };
      calls.push(call);
      const answer = answers.find(([prefix]) => call.command.startsWith(prefix))?.[1] ?? {};
      if (answer instanceof Error) throw answer;
      const result = typeof answer === 'function' ? await answer(call) : answer;
      return { command: call.command, exitCode: 0, stdout: '', stderr: '', canceled: false, durationMs: 1, ...result };
    },
  };
}

function writeMetadata(call: Call): Partial<RunResult> {
  const path = call.args[call.args.indexOf('--metadata-file') + 1] ?? '';
  writeFileSync(path, JSON.stringify(METADATA));
  return {};
}

const PUSH = { executor: 'nx-agent-ecr:ecr-push', options: { projectName: 'shop' }, configurations: { prod: { environment: 'prod' } } };

const context = (change: Partial<ExecutorContext> = {}): ExecutorContext => ({
  root,
  cwd: root,
  isVerbose: false,
  projectName: 'svc',
  targetName: 'docker-build',
  projectsConfigurations: {
    version: 2,
    projects: { svc: { root: 'apps/svc', targets: { 'docker-build': { executor: 'nx-agent-ecr:docker-arm64-build' }, 'ecr-push': PUSH } } },
  },
  nxJsonConfiguration: {},
  projectGraph: { nodes: {}, dependencies: {} },
  ...change,
});

const build = (options: DockerArm64BuildExecutorSchema = {}, change: Partial<ExecutorContext> = {}) =>
  dockerArm64BuildExecutor(options, context(change), deps());
const buildCall = () => calls.find((c) => c.command.startsWith('docker buildx build'));
const metadataPath = () => buildCall()?.args[(buildCall()?.args.indexOf('--metadata-file') ?? 0) + 1] ?? '';
/** The content tag the build tagged its image with. */
const contentTag = () =>
  buildCall()
    ?.args.find((arg) => /^svc:content-/.test(arg))
    ?.slice('svc:'.length) ?? '';

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dab-exec-'));
  mkdirSync(join(root, 'apps/svc'), { recursive: true });
  writeFileSync(join(root, 'apps/svc/Dockerfile'), `FROM ${BASE}\nCOPY main.py /app/\n`);
  writeFileSync(join(root, 'apps/svc/main.py'), 'print(1)\n');
  calls = [];
  logs = [];
  answers = [
    ['docker version', { stdout: '20.10.24' }],
    ['docker buildx version', { stdout: 'github.com/docker/buildx 0.13.1 abc' }],
    ['docker buildx inspect', { stdout: INSPECT }],
    ['docker buildx build', writeMetadata],
    ['git rev-parse HEAD', { stdout: 'abc123' }],
    ['git config --get remote.origin.url', { stdout: 'https://user:secret@example.com/org/repo.git' }],
  ];
  aws = mockedClients();
  aws.ecrMock.on(DescribeImagesCommand).rejects(awsError('ImageNotFoundException'));
  signals = new EventEmitter();
  for (const level of ['info', 'warn', 'error'] as const) {
    jest.spyOn(logger, level).mockImplementation((...message: unknown[]) => {
      logs.push(`${level}: ${message.map(String).join(' ')}`);
    });
  }
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('docker-arm64-build', () => {
  it('probes docker, buildx and the builder, then builds linux/arm64 with the content tag, latest and OCI labels', async () => {
    await expect(build()).resolves.toEqual({ success: true });
    expect(calls.filter((c) => c.command.startsWith('docker')).map((c) => c.command.split(' --')[0])).toEqual([
      'docker version',
      'docker buildx version',
      'docker buildx inspect',
      'docker buildx build',
    ]);
    const args = buildCall()?.args ?? [];
    const tag = contentTag();
    expect(tag).toMatch(/^content-[0-9a-f]{24}$/);
    expect(aws.ecrMock).toHaveReceivedCommandWith(DescribeImagesCommand, { repositoryName: 'shop-dev-svc', imageIds: [{ imageTag: tag }] });
    expect(args.slice(0, 7)).toEqual(['buildx', 'build', '--progress=plain', '--file', 'apps/svc/Dockerfile', '--platform', 'linux/arm64']);
    expect(args).toEqual(
      expect.arrayContaining(['--tag', `svc:${tag}`, '--tag', 'svc:latest', '--load', '--provenance=false', '--sbom=false']),
    );
    expect(args).toEqual(
      expect.arrayContaining([
        '--label',
        'org.opencontainers.image.source=https://example.com/org/repo',
        '--label',
        'org.opencontainers.image.revision=abc123',
        '--label',
        'org.opencontainers.image.created=2026-01-02T03:04:05.000Z',
        '--label',
        'org.opencontainers.image.title=svc',
      ]),
    );
    expect(args.at(-1)).toBe('apps/svc');
    expect(buildCall()?.options).toMatchObject({ cwd: root, stream: true });
    expect(buildCall()?.options.signal).toBeInstanceOf(AbortSignal);
  });

  it('writes the build record with tags, ids from the metadata file and platforms, and removes the metadata temp dir', async () => {
    await build({ tags: ['v1', 'registry.example/x:y'] });
    const record = JSON.parse(readFileSync(buildRecordPath(root, 'apps/svc'), 'utf8')) as Record<string, unknown>;
    const tag = contentTag();
    expect(record).toEqual({
      project: 'svc',
      imageName: 'svc',
      localTags: [`svc:${tag}`, 'svc:latest', 'svc:v1', 'registry.example/x:y'],
      contentTag: tag,
      platforms: ['linux/arm64'],
      createdAt: '2026-01-02T03:04:05.000Z',
      built: true,
      imageId: 'sha256:cfg',
      digest: 'sha256:man',
      baseImages: [{ ref: BASE, platform: 'linux/arm64', digest: BASE.split('@')[1] }],
    });
    expect(existsSync(dirname(metadataPath()))).toBe(false);
  });

  it('lets user labels override the defaults', async () => {
    await build({ labels: { 'org.opencontainers.image.title': 'Custom', team: 'ai' } });
    const args = buildCall()?.args ?? [];
    expect(args).toContain('org.opencontainers.image.title=Custom');
    expect(args).not.toContain('org.opencontainers.image.title=svc');
    expect(args).toContain('team=ai');
  });

  test.each([
    ['the push repository holds it', undefined, 'shop-dev-svc', 'target'],
    ["the promote-from environment's repository holds it (-c prod)", 'prod', 'shop-dev-svc', 'promote-from'],
  ])('skips the build and records built:false when %s', async (_name, configurationName, holder, foundIn) => {
    aws.ecrMock
      .on(DescribeImagesCommand, { repositoryName: holder })
      .resolves({ imageDetails: [{ imageDigest: 'sha256:abc', imageTags: [] }] });
    aws.ecrMock
      .on(DescribeRepositoriesCommand)
      .resolves({ repositories: [{ repositoryName: holder, repositoryUri: `1.dkr.ecr.x/${holder}` }] });
    await expect(build({}, { configurationName })).resolves.toEqual({ success: true });
    expect(calls.filter((c) => c.command.startsWith('docker'))).toEqual([]);
    const record = JSON.parse(readFileSync(buildRecordPath(root, 'apps/svc'), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ built: false, existing: { repositoryUri: `1.dkr.ecr.x/${holder}`, digest: 'sha256:abc', foundIn } });
    expect(record['skippedBecause']).toMatch(/^ECR already holds content-/);
    expect(logs.some((l) => l.startsWith('warn: Skipping the build of svc'))).toBe(true);
  });

  it('builds, with one warning, when ECR cannot be asked (no AWS access on a PR build)', async () => {
    aws.ecrMock.on(DescribeImagesCommand).rejects(new Error('Could not load credentials from any providers'));
    await expect(build()).resolves.toEqual({ success: true });
    expect(buildCall()).toBeDefined();
    expect(logs).toContain(
      `warn: Could not ask ECR whether shop-dev-svc holds ${contentTag()} (Could not load credentials from any providers); building.`,
    );
  });

  it('dry run prints the exact command and starts no docker process, looks nothing up and writes no record', async () => {
    await expect(build({ dryRun: true, secrets: [] })).resolves.toEqual({ success: true });
    expect(calls.filter((c) => c.command.startsWith('docker'))).toEqual([]);
    expect(aws.ecrMock.calls()).toEqual([]);
    expect(existsSync(buildRecordPath(root, 'apps/svc'))).toBe(false);
    expect(
      logs.find((l) => l.startsWith('info: Dry run, not running: docker buildx build --progress=plain --file apps/svc/Dockerfile')),
    ).toBeDefined();
  });

  it('fails with the exit code and the failing step, removes the previous record and the metadata temp dir', async () => {
    mkdirSync(dirname(buildRecordPath(root, 'apps/svc')), { recursive: true });
    writeFileSync(buildRecordPath(root, 'apps/svc'), JSON.stringify({ contentTag: 'content-of-other-sources' }));
    answers.unshift([
      'docker buildx build',
      {
        exitCode: 1,
        stderr:
          '#6 [2/2] RUN exit 7\n#6 ERROR: executor failed running [/bin/sh -c exit 7]: exit code: 7\nERROR: failed to solve: exit code: 7',
      },
    ]);
    await expect(build()).resolves.toEqual({ success: false });
    expect(logs).toContain('error: docker buildx build for svc failed with exit code 1 at #6 [2/2] RUN exit 7 (the step exited 7).');
    expect(existsSync(buildRecordPath(root, 'apps/svc'))).toBe(false);
    expect(existsSync(dirname(metadataPath()))).toBe(false);
  });

  it('maps "exec format error" in the build output to the arm64 emulation fix', async () => {
    answers.unshift([
      'docker buildx build',
      { exitCode: 1, stderr: '#5 [2/2] RUN uname -m\n#5 0.1 exec /bin/sh: exec format error\n#5 ERROR: exit code: 1' },
    ]);
    await build();
    expect(logs.some((l) => /^error: .*exec format error.*tools\/toolchain\/setup\.sh.*tonistiigi\/binfmt --install arm64/.test(l))).toBe(
      true,
    );
  });

  it('on Ctrl-C aborts the build process, fails, removes the temp dir and its signal listeners', async () => {
    answers.unshift([
      'docker buildx build',
      (call) => {
        expect(existsSync(dirname(metadataPath()))).toBe(true);
        expect(signals.listenerCount('SIGINT')).toBe(1);
        signals.emit('SIGINT');
        expect(call.options.signal?.aborted).toBe(true);
        return { exitCode: 130, canceled: true };
      },
    ]);
    await expect(build()).resolves.toEqual({ success: false });
    expect(existsSync(dirname(metadataPath()))).toBe(false);
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
    expect(logs).toContain('warn: Build of svc canceled.');
  });

  it("passes the task's one signal to every child process: git, probes and the build", async () => {
    await build();
    const signalsSeen = new Set(calls.map((c) => c.options.signal));
    expect(signalsSeen.size).toBe(1);
    expect([...signalsSeen][0]).toBeInstanceOf(AbortSignal);
  });

  it('removes its signal listeners after a successful build too', async () => {
    await build();
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('fills {projectName} in cache specs, so one command line gives each project its own cache', async () => {
    await build({ cacheFrom: 'type=registry,ref=reg.example/cache:{projectName}' });
    expect(buildCall()?.args).toEqual(expect.arrayContaining(['--cache-from', 'type=registry,ref=reg.example/cache:svc']));
  });

  it('passes builder, secrets, caches and push through, with ECR cache attributes', async () => {
    process.env['DAB_TEST_TOKEN'] = 'x';
    answers.unshift(['docker buildx inspect', { stdout: 'Name: arm\nDriver: remote\nPlatforms: linux/arm64\n' }]);
    const ecr = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/svc:cache';
    await build({
      builder: 'arm',
      secrets: ['id=tok,env=DAB_TEST_TOKEN'],
      cacheFrom: `type=registry,ref=${ecr}`,
      cacheTo: [`type=registry,ref=${ecr},mode=max`],
      push: true,
      load: false,
    });
    delete process.env['DAB_TEST_TOKEN'];
    expect(calls.map((c) => c.command)).toContain('docker buildx inspect arm');
    expect(buildCall()?.args).toEqual(
      expect.arrayContaining([
        '--builder',
        'arm',
        '--secret',
        'id=tok,env=DAB_TEST_TOKEN',
        '--cache-from',
        `type=registry,ref=${ecr}`,
        '--cache-to',
        `type=registry,ref=${ecr},mode=max,image-manifest=true,oci-mediatypes=true`,
        '--push',
      ]),
    );
    expect(buildCall()?.args).not.toContain('--load');
  });
});

describe('base images are content', () => {
  const arm = (c: string) => `sha256:${c.repeat(64)}`;
  /** A registry whose python:3 index names `current` for linux/arm64; anonymous, as public registries are. */
  const registryFetch = (current: () => string) =>
    (async (url: string) => {
      expect(url).toBe('https://reg.example/v2/team/python/manifests/3');
      return new Response(JSON.stringify({ manifests: [{ digest: current(), platform: { os: 'linux', architecture: 'arm64' } }] }));
    }) as typeof fetch;

  it('a repointed base tag gives a new content tag and a build pinned to exactly the digest that was hashed', async () => {
    writeFileSync(join(root, 'apps/svc/Dockerfile'), 'ARG BASE_IMAGE=reg.example/team/python:3\nFROM ${BASE_IMAGE}\nCOPY main.py /app/\n');
    let digest = arm('1');
    const pinned: string[] = [];
    answers.unshift([
      'docker buildx build',
      (call) => {
        pinned.push(readFileSync(call.args[call.args.indexOf('--file') + 1] ?? '', 'utf8'));
        return writeMetadata(call);
      },
    ]);
    const run = () => dockerArm64BuildExecutor({}, context(), { ...deps(), fetch: registryFetch(() => digest) });
    await expect(run()).resolves.toEqual({ success: true });
    const first = contentTag();
    digest = arm('2');
    calls = [];
    await expect(run()).resolves.toEqual({ success: true });
    expect(contentTag()).not.toBe(first);
    expect(pinned).toEqual(
      [1, 2].map((n) => `ARG BASE_IMAGE=reg.example/team/python:3\nFROM reg.example/team/python:3@${arm(String(n))}\nCOPY main.py /app/\n`),
    );
    const record = JSON.parse(readFileSync(buildRecordPath(root, 'apps/svc'), 'utf8')) as Record<string, unknown>;
    expect(record['baseImages']).toEqual([{ ref: 'reg.example/team/python:3', platform: 'linux/arm64', digest: arm('2') }]);
  });

  it('a base that cannot be resolved fails in one line before any build', async () => {
    writeFileSync(join(root, 'apps/svc/Dockerfile'), 'FROM reg.example/team/python:3\n');
    const fetch = (async () => new Response('{"errors":[]}', { status: 404 })) as unknown as typeof globalThis.fetch;
    await expect(dockerArm64BuildExecutor({}, context(), { ...deps(), fetch })).resolves.toEqual({ success: false });
    expect(logs.filter((l) => l.startsWith('error: '))).toEqual([
      expect.stringMatching(
        /^error: Base image reg\.example\/team\/python:3 \(FROM in apps\/svc\/Dockerfile\) could not be resolved for linux\/arm64: the registry has no such image/,
      ),
    ]);
    expect(calls.filter((c) => c.command.startsWith('docker'))).toEqual([]);
  });
});

describe('docker-arm64-build fails early, in one line naming the fix, before any build', () => {
  test.each<[string, DockerArm64BuildExecutorSchema, [string, Answer] | undefined, RegExp]>([
    ['docker CLI missing', {}, ['docker', new CommandNotFoundError('docker')], /^Docker CLI not found .*install Docker/],
    [
      'daemon unreachable',
      {},
      ['docker version', { exitCode: 1, stderr: 'Cannot connect to the Docker daemon' }],
      /^Cannot reach the Docker daemon/,
    ],
    ['buildx missing', {}, ['docker buildx version', { exitCode: 1 }], /docker-buildx-plugin.*Docker Desktop.*tools\/toolchain\/setup\.sh/],
    [
      'no arm64 emulation',
      {},
      ['docker buildx inspect', { stdout: 'Name: default\nDriver: docker\nPlatforms: linux/amd64, linux/386\n' }],
      /^No arm64 emulation .*tools\/toolchain\/setup\.sh.*docker run --privileged --rm tonistiigi\/binfmt --install arm64/,
    ],
    [
      'Dockerfile not found',
      { dockerfile: 'apps/svc/Nope.Dockerfile' },
      undefined,
      /^Dockerfile not found: tried \/.*\/apps\/svc\/Nope\.Dockerfile/,
    ],
    ['context outside the workspace', { context: '..' }, undefined, /^Build context "\.\." resolves to .*, outside the workspace/],
    [
      'multi-platform with load',
      { platforms: ['linux/arm64', 'linux/amd64'] },
      undefined,
      /cannot be loaded into the local engine: set push: true \(--push\) .*or build a single platform/,
    ],
    [
      'multi-platform on the docker driver',
      { platforms: ['linux/arm64', 'linux/amd64'], push: true },
      undefined,
      /docker driver, which does not: set builder \(and createBuilder: true\)/,
    ],
    [
      'missing secret env',
      { secrets: ['id=tok,env=DAB_TEST_UNSET_VARIABLE'] },
      undefined,
      /^Secret "tok" reads environment variable DAB_TEST_UNSET_VARIABLE, which is not set/,
    ],
    ['missing secret file', { secrets: ['id=npmrc,src=.npmrc'] }, undefined, /^Secret "npmrc" reads file .*\.npmrc, which does not exist/],
    [
      'cache export on the docker driver',
      { cacheTo: 'type=local,dest=tmp/cache' },
      undefined,
      /^cacheTo "type=local,dest=tmp\/cache" needs a docker-container or remote builder/,
    ],
  ])('%s', async (_name, options, answer, message) => {
    if (answer) answers.unshift(answer);
    await expect(build(options)).resolves.toEqual({ success: false });
    const errors = logs.filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.slice('error: '.length)).toMatch(message);
    expect(errors[0]).not.toMatch(/\n/);
    expect(buildCall()).toBeUndefined();
  });
});
