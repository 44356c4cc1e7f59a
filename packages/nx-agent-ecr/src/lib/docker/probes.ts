// Probes that tell, before a long build, whether this machine can build: docker CLI, daemon, buildx, builder, emulation.
import type { MachineFacts } from './machine';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandNotFoundError, type ProcessRunner } from '../process';

export const TOOLCHAIN_SCRIPT = 'tools/toolchain/setup.sh';
export const EMULATION_FIX =
  `run ${TOOLCHAIN_SCRIPT}, or register QEMU with \`docker ` + `run --privileged --rm tonistiigi/binfmt --install arm64\``;

/** A problem of the machine or the options that the user must fix; its message is one line naming the fix. */
export class BuildPreconditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildPreconditionError';
  }
}

export interface BuilderInfo {
  name: string;
  driver: string;
  /** Platforms the builder's nodes report; empty when the builder has not booted yet. */
  platforms: string[];
}

/** Docker CLI present and daemon reachable; returns the server version. */
export async function probeDocker(run: ProcessRunner): Promise<string> {
  let result;
  try {
    result = await run('docker', ['version', '--format', '{{.Server.Version}}']);
  } catch (error) {
    if (error instanceof CommandNotFoundError) {
      throw new BuildPreconditionError(
        `Docker CLI not found ('docker' is not on PATH): install Docker Engine ` +
          `(docker.io or docker-ce) or Docker Desktop, or run ${TOOLCHAIN_SCRIPT}.`,
      );
    }
    throw error;
  }
  if (result.exitCode !== 0) {
    throw new BuildPreconditionError(
      `Cannot reach the Docker daemon ` +
        `(${firstLine(result.stderr) || `exit ${result.exitCode}`}): start it ` +
        `(systemctl start docker, Docker Desktop, or ` +
        `${TOOLCHAIN_SCRIPT}) or fix DOCKER_HOST / the docker context.`,
    );
  }
  return result.stdout.trim();
}

/** buildx present; returns its version, e.g. "0.13.1+ds1" or "v0.12.0". */
export async function probeBuildx(run: ProcessRunner): Promise<string> {
  const result = await run('docker', ['buildx', 'version']);
  if (result.exitCode !== 0) {
    throw new BuildPreconditionError(
      `docker buildx is not installed: install the docker-buildx-plugin package ` +
        `(docker-buildx on Debian/Ubuntu), use Docker Desktop, or run ${TOOLCHAIN_SCRIPT}.`,
    );
  }
  // "github.com/docker/buildx v0.12.0 542e5d8" or "github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3"
  return result.stdout.trim().split(/\s+/)[1] ?? 'unknown';
}

/** `docker buildx inspect [name]`, parsed; undefined when the builder does not exist. */
export async function inspectBuilder(run: ProcessRunner, name?: string): Promise<BuilderInfo | undefined> {
  const result = await run('docker', ['buildx', 'inspect', ...(name ? [name] : [])]);
  if (result.exitCode !== 0) return undefined;
  return parseInspect(result.stdout);
}

export function parseInspect(output: string): BuilderInfo {
  const field = (label: string) => output.match(new RegExp(`^${label}:\\s*(.*)$`, 'm'))?.[1]?.trim() ?? '';
  const platforms = [...output.matchAll(/^Platforms:\s*(.*)$/gm)]
    .flatMap((m) => (m[1] ?? '').split(','))
    .map((p) => p.trim().replace(/\*$/, ''))
    .filter((p) => p.length > 0);
  return { name: field('Name'), driver: field('Driver'), platforms: [...new Set(platforms)] };
}

/** The builder the build will use: the named one (created when asked and missing) or the current one. */
export async function ensureBuilder(
  run: ProcessRunner,
  builder: string | undefined,
  create: boolean,
  createTimeoutMs?: number,
): Promise<BuilderInfo> {
  const found = await inspectBuilder(run, builder);
  if (found) return found;
  if (!builder) {
    throw new BuildPreconditionError(
      `docker buildx has no usable current builder: check \`docker buildx ls\`, or name one with the builder option.`,
    );
  }
  if (!create) {
    throw new BuildPreconditionError(
      `buildx builder "${builder}" not found: create it ` +
        `(\`docker buildx create --name ${builder} --driver ` +
        `docker-container --bootstrap\`, or --driver remote tcp://host:port), or set createBuilder: true.`,
    );
  }
  const created = await run('docker', ['buildx', 'create', '--name', builder, '--driver', 'docker-container', '--bootstrap'], {
    stream: true,
    ...(createTimeoutMs ? { timeoutMs: createTimeoutMs } : {}),
  });
  const info = created.exitCode === 0 ? await inspectBuilder(run, builder) : undefined;
  if (!info) {
    throw new BuildPreconditionError(
      `Could not create buildx builder "${builder}" (exit ${created.exitCode}: ` +
        `${lastLine(created.stderr)}): the docker-container ` +
        `driver pulls moby/buildkit, so the engine must reach ` +
        `its registry; or point builder at an existing builder.`,
    );
  }
  return info;
}

/** Node's process.arch → the architecture names of OCI platforms. */
export const ARCH_OF_HOST: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
};

/** Pure decision: the one-line problem when this engine cannot run a container of `platform`, else undefined. */
export function runPlatformProblem(platform: string, machine: MachineFacts): string | undefined {
  const arch = normalizePlatform(platform).split('/')[1] ?? '';
  const host = ARCH_OF_HOST[machine.hostArch] ?? machine.hostArch;
  // A host that cannot tell (no binfmt_misc to read) is not refused: the engine will say.
  if (arch === host || machine.binfmtRegistered(arch) !== false) return undefined;
  return `Cannot run ${platform} containers on this ${host} host: no ${arch} emulation is registered; ${EMULATION_FIX}.`;
}

/** Normalises "linux/arm64/v8" to "linux/arm64" so builder lists and requests compare. */
const normalizePlatform = (platform: string) => platform.replace(/^(linux\/arm64)\/v8$/, '$1').trim();

/**
 * Pure decision: the one-line problem when the builder cannot run `platforms`, else undefined. A local builder
 * (docker, docker-container) runs foreign binaries through the kernel's binfmt handler, so when the host can tell
 * (`binfmtRegistered` answers true or false) a missing or disabled handler is a problem even if the builder still
 * lists the platform (the docker driver reports what it saw at its start). A builder that has not booted reports no
 * platforms; then, for a local driver, the handler decides.
 */
export function platformProblem(
  platforms: string[],
  builder: BuilderInfo,
  hostArch: string,
  binfmtRegistered: (arch: string) => boolean | undefined,
): string | undefined {
  if (platforms.length > 1 && builder.driver === 'docker') {
    return (
      `Building ${platforms.length} platforms (${platforms.join(', ')}) ` +
      `needs a builder that supports multi-platform builds, and builder ` +
      `"${builder.name}" uses the docker driver, which does not: set builder ` +
      `(and createBuilder: true) to use a docker-container or remote builder.`
    );
  }
  const local = builder.driver === 'docker' || builder.driver === 'docker-container';
  const host = ARCH_OF_HOST[hostArch] ?? hostArch;
  const supported = builder.platforms.map(normalizePlatform);
  for (const platform of platforms.map(normalizePlatform)) {
    const arch = platform.split('/')[1] ?? '';
    const emulated = local && arch !== host;
    const handler = emulated ? binfmtRegistered(arch) : undefined;
    const listed = supported.length > 0 ? supported.includes(platform) : !local || !emulated || handler === true;
    if (listed && handler !== false) continue;
    if (emulated && arch === 'arm64') {
      const why = listed
        ? `builder "${builder.name}" lists ${platform}, but the kernel has no enabled qemu-aarch64 handler`
        : `builder "${builder.name}" runs ${supported.join(', ') || 'no foreign platform'}`;
      return `No arm64 emulation on this ${host} host (${why}): ${EMULATION_FIX}.`;
    }
    return (
      `Builder "${builder.name}" cannot build ${platform} (it runs ` +
      `${supported.join(', ') || 'only the host platform'}): ` +
      `pick a builder for that platform with the builder option.`
    );
  }
  return undefined;
}

/** Pure decision: the docker driver's embedded BuildKit exports no cache but inline. */
export function cacheExportProblem(cacheTo: string[], builder: BuilderInfo, cacheType: (spec: string) => string): string | undefined {
  if (builder.driver !== 'docker') return undefined;
  const spec = cacheTo.find((s) => cacheType(s) !== 'inline');
  if (spec === undefined) return undefined;
  return (
    `cacheTo "${spec}" needs a docker-container or remote ` +
    `builder, and builder "${builder.name}" uses the docker ` +
    `driver, which exports only type=inline: set builder (and ` +
    `createBuilder: true), or use cacheTo "type=inline".`
  );
}

const QEMU_NAMES: Record<string, string> = {
  arm64: 'aarch64',
  arm: 'arm',
  amd64: 'x86_64',
  '386': 'i386',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/**
 * Is an enabled QEMU (or other) binfmt handler for `arch` registered with the kernel? Undefined when this host cannot
 * tell (no binfmt_misc: not Linux, or not mounted, e.g. Docker Desktop's engine runs in its own VM).
 */
export function binfmtRegistered(arch: string, binfmtDir = '/proc/sys/fs/binfmt_misc'): boolean | undefined {
  if (!existsSync(join(binfmtDir, 'status'))) return undefined;
  if (!readFileSync(join(binfmtDir, 'status'), 'utf8').startsWith('enabled')) return false;
  const file = join(binfmtDir, `qemu-${QEMU_NAMES[arch] ?? arch}`);
  return existsSync(file) && readFileSync(file, 'utf8').startsWith('enabled');
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}
