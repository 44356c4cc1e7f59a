// Probes against a scripted process runner: each machine problem gets its own one-line message naming the fix.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheType } from './buildx-args';
import {
  binfmtRegistered,
  cacheExportProblem,
  ensureBuilder,
  inspectBuilder,
  parseInspect,
  platformProblem,
  probeBuildx,
  probeDocker,
  type BuilderInfo,
} from './probes';
import { CommandNotFoundError, type ProcessRunner, type RunResult } from '../process';

type Answer = Partial<RunResult> | Error;

/** A runner that answers by the first matching argv prefix and records every call. */
function scripted(answers: [string, Answer][]): ProcessRunner & { calls: string[] } {
  const calls: string[] = [];
  const runner = async (file: string, args: readonly string[]) => {
    const command = [file, ...args].join(' ');
    calls.push(command);
    const answer = answers.find(([prefix]) => command.startsWith(prefix))?.[1] ?? { exitCode: 0 };
    if (answer instanceof Error) throw answer;
    return { command, exitCode: 0, stdout: '', stderr: '', canceled: false, durationMs: 1, ...answer };
  };
  return Object.assign(runner, { calls });
}

const INSPECT_DEFAULT = `Name:          default
Driver:        docker

Nodes:
Name:             default
Endpoint:         default
Status:           running
BuildKit version: v0.8+unknown
Platforms:        linux/amd64, linux/arm64, linux/386
`;

describe('probeDocker', () => {
  it('returns the server version', async () => {
    await expect(probeDocker(scripted([['docker version', { stdout: '20.10.24\n' }]]))).resolves.toBe('20.10.24');
  });

  it('says to install Docker when the CLI is missing', async () => {
    const run = scripted([['docker', new CommandNotFoundError('docker')]]);
    await expect(probeDocker(run)).rejects.toThrow(
      /^Docker CLI not found .*install Docker Engine .*Docker Desktop, or run tools\/toolchain\/setup\.sh\.$/,
    );
  });

  it('says the daemon is unreachable, with the CLI reason, and how to start it', async () => {
    const run = scripted([
      [
        'docker version',
        { exitCode: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' },
      ],
    ]);
    await expect(probeDocker(run)).rejects.toThrow(
      /^Cannot reach the Docker daemon \(Cannot connect to the Docker daemon at unix:.*\): start it .*DOCKER_HOST/,
    );
  });
});

describe('probeBuildx', () => {
  test.each([
    ['github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3', '0.13.1+ds1'],
    ['github.com/docker/buildx v0.12.0 542e5d8', 'v0.12.0'],
  ])('reads the version from "%s"', async (stdout, version) => {
    await expect(probeBuildx(scripted([['docker buildx version', { stdout }]]))).resolves.toBe(version);
  });

  it('names docker-buildx-plugin, Docker Desktop and the toolchain script when buildx is missing', async () => {
    const run = scripted([['docker buildx version', { exitCode: 1, stderr: "docker: 'buildx' is not a docker command." }]]);
    const message = await probeBuildx(run).then(
      () => '',
      (e: unknown) => (e as Error).message,
    );
    expect(message).toMatch(/docker-buildx-plugin/);
    expect(message).toMatch(/Docker Desktop/);
    expect(message).toMatch(/tools\/toolchain\/setup\.sh/);
    expect(message).not.toMatch(/\n/);
  });
});

describe('builders', () => {
  it('parses docker buildx inspect, stripping the * of user-set platforms', () => {
    expect(parseInspect(INSPECT_DEFAULT.replace('linux/arm64', 'linux/arm64*'))).toEqual({
      name: 'default',
      driver: 'docker',
      platforms: ['linux/amd64', 'linux/arm64', 'linux/386'],
    });
  });

  it('inspects the current builder when none is named, and a named one otherwise', async () => {
    const run = scripted([['docker buildx inspect', { stdout: INSPECT_DEFAULT }]]);
    await inspectBuilder(run);
    await inspectBuilder(run, 'arm');
    expect(run.calls).toEqual(['docker buildx inspect', 'docker buildx inspect arm']);
  });

  it('reuses an existing named builder without creating it', async () => {
    const run = scripted([['docker buildx inspect arm', { stdout: 'Name: arm\nDriver: remote\nPlatforms: linux/arm64\n' }]]);
    await expect(ensureBuilder(run, 'arm', true)).resolves.toEqual({ name: 'arm', driver: 'remote', platforms: ['linux/arm64'] });
    expect(run.calls).toEqual(['docker buildx inspect arm']);
  });

  it('creates a missing builder with the docker-container driver and --bootstrap when createBuilder is set', async () => {
    let created = false;
    const runner: ProcessRunner = async (file, args) => {
      const command = [file, ...args].join(' ');
      if (command.startsWith('docker buildx create')) created = true;
      const exists = created || !command.startsWith('docker buildx inspect');
      const stdout =
        command.startsWith('docker buildx inspect') && created
          ? 'Name: multi\nDriver: docker-container\nPlatforms: linux/amd64, linux/arm64\n'
          : '';
      return {
        command,
        exitCode: exists ? 0 : 1,
        stdout,
        stderr: exists ? '' : 'ERROR: no builder "multi" found',
        canceled: false,
        durationMs: 1,
      };
    };
    const run = jest.fn(runner);
    await expect(ensureBuilder(run, 'multi', true)).resolves.toMatchObject({ driver: 'docker-container' });
    expect(run.mock.calls.map(([f, a]) => [f, ...a].join(' '))).toEqual([
      'docker buildx inspect multi',
      'docker buildx create --name multi --driver docker-container --bootstrap',
      'docker buildx inspect multi',
    ]);
  });

  it('tells how to create a missing named builder when createBuilder is off', async () => {
    const run = scripted([['docker buildx inspect', { exitCode: 1, stderr: 'ERROR: no builder "arm" found' }]]);
    await expect(ensureBuilder(run, 'arm', false)).rejects.toThrow(
      /^buildx builder "arm" not found: .*docker buildx create --name arm .*createBuilder: true\.$/,
    );
  });

  it('explains a builder that could not be created', async () => {
    const run = scripted([
      ['docker buildx inspect', { exitCode: 1 }],
      ['docker buildx create', { exitCode: 1, stderr: 'ERROR: failed to pull moby/buildkit' }],
    ]);
    await expect(ensureBuilder(run, 'x', true)).rejects.toThrow(
      /Could not create buildx builder "x" \(exit 1: ERROR: failed to pull moby\/buildkit\)/,
    );
  });
});

describe('platformProblem', () => {
  const dockerDriver: BuilderInfo = { name: 'default', driver: 'docker', platforms: ['linux/amd64', 'linux/arm64', 'linux/386'] };

  test.each<[string, string[], BuilderInfo, string, boolean | undefined, RegExp | undefined]>([
    ['arm64 on an x86_64 host with emulation', ['linux/arm64'], dockerDriver, 'x64', true, undefined],
    ['arm64/v8 is arm64', ['linux/arm64/v8'], dockerDriver, 'x64', true, undefined],
    [
      'the builder still lists arm64 but the handler was disabled since: named before the build',
      ['linux/arm64'],
      dockerDriver,
      'x64',
      false,
      /^No arm64 emulation on this amd64 host \(builder "default" lists linux\/arm64, but the kernel has no enabled qemu-aarch64 handler\): run tools\/toolchain\/setup\.sh/,
    ],
    ['a host that cannot tell (no binfmt_misc) trusts the builder', ['linux/arm64'], dockerDriver, 'x64', undefined, undefined],
    [
      'no arm64 emulation on x86_64',
      ['linux/arm64'],
      { ...dockerDriver, platforms: ['linux/amd64', 'linux/386'] },
      'x64',
      false,
      /^No arm64 emulation on this amd64 host .*tools\/toolchain\/setup\.sh.*docker run .*tonistiigi\/binfmt --install arm64/,
    ],
    [
      'a builder that has not booted falls back to binfmt: registered',
      ['linux/arm64'],
      { name: 'b', driver: 'docker-container', platforms: [] },
      'x64',
      true,
      undefined,
    ],
    [
      'a builder that has not booted falls back to binfmt: missing',
      ['linux/arm64'],
      { name: 'b', driver: 'docker-container', platforms: [] },
      'x64',
      false,
      /^No arm64 emulation/,
    ],
    [
      'an arm64 host needs no emulation',
      ['linux/arm64'],
      { name: 'b', driver: 'docker-container', platforms: [] },
      'arm64',
      false,
      undefined,
    ],
    [
      'a remote builder that has not booted is trusted',
      ['linux/arm64'],
      { name: 'r', driver: 'remote', platforms: [] },
      'x64',
      false,
      undefined,
    ],
    [
      'a remote builder without the platform is named',
      ['linux/arm64'],
      { name: 'r', driver: 'remote', platforms: ['linux/amd64'] },
      'x64',
      false,
      /^Builder "r" cannot build linux\/arm64 .*builder option/,
    ],
    [
      'multi-platform on the docker driver names builder and createBuilder',
      ['linux/arm64', 'linux/amd64'],
      dockerDriver,
      'x64',
      false,
      /docker driver, which does not: set builder \(and createBuilder: true\)/,
    ],
    [
      'multi-platform on docker-container is fine',
      ['linux/arm64', 'linux/amd64'],
      { ...dockerDriver, driver: 'docker-container' },
      'x64',
      true,
      undefined,
    ],
  ])('%s', (_name, platforms, builder, hostArch, binfmt, expected) => {
    const problem = platformProblem(platforms, builder, hostArch, () => binfmt);
    if (expected) expect(problem).toMatch(expected);
    else expect(problem).toBeUndefined();
  });
});

describe('cacheExportProblem', () => {
  const dockerDriver: BuilderInfo = { name: 'default', driver: 'docker', platforms: [] };
  test.each<[string[], BuilderInfo, boolean]>([
    [['type=inline'], dockerDriver, false],
    [['type=local,dest=tmp/cache'], dockerDriver, true],
    [['type=registry,ref=r/c:cache'], dockerDriver, true],
    [['type=local,dest=tmp/cache'], { ...dockerDriver, driver: 'docker-container' }, false],
    [[], dockerDriver, false],
  ])('cacheTo %j on %j: problem=%s', (cacheTo, builder, problem) => {
    const message = cacheExportProblem(cacheTo, builder, cacheType);
    expect(message === undefined).toBe(!problem);
    if (problem) expect(message).toMatch(/needs a docker-container or remote builder.*createBuilder: true.*type=inline/);
  });
});

describe('binfmtRegistered', () => {
  it('reads the kernel registration of qemu-aarch64 for arm64', () => {
    const dir = mkdtempSync(join(tmpdir(), 'binfmt-'));
    try {
      expect(binfmtRegistered('arm64', dir)).toBeUndefined(); // no binfmt_misc here: the host cannot tell
      writeFileSync(join(dir, 'status'), 'enabled\n');
      expect(binfmtRegistered('arm64', dir)).toBe(false);
      writeFileSync(join(dir, 'qemu-aarch64'), 'disabled\n');
      expect(binfmtRegistered('arm64', dir)).toBe(false);
      writeFileSync(join(dir, 'qemu-aarch64'), 'enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\n');
      expect(binfmtRegistered('arm64', dir)).toBe(true);
      writeFileSync(join(dir, 'status'), 'disabled\n'); // every handler off at once
      expect(binfmtRegistered('arm64', dir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
