// Runs the real CNCF distribution registry (Debian's docker-registry) on a Unix socket only local-ecr can reach.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { innerRequest } from './inner-http';
import { commandLine, isSameProcess, processStartTime } from './process-identity';

export const DEFAULT_REGISTRY_BINARY = '/usr/bin/docker-registry';
const SETPRIV = '/usr/bin/setpriv';
/** sun_path holds 108 bytes; a longer socket path goes to a private directory under the temporary directory. */
const MAX_SOCKET_PATH = 100;
const START_DEADLINE_MS = 15_000;

export interface InnerRegistry {
  /** The registry's Unix socket: inside a 0700 directory, so no other user (and no web page) can reach it. */
  socketPath: string;
  /** Root of the filesystem storage driver (…/docker/registry/v2 lives below it). */
  storageRoot: string;
  pid: number;
  stop(): Promise<void>;
}

/** The registry's config.yml: a Unix socket, filesystem storage in the state directory, deletes on, no blob cache. */
export function registryConfig(storageRoot: string, socketPath: string, secret: string): string {
  // No in-memory blob descriptor cache: DeleteRepository removes repository links on disk behind its back.
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(storageRoot)}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    '  net: unix',
    `  addr: ${JSON.stringify(socketPath)}`,
    `  secret: ${secret}`,
    '',
  ].join('\n');
}

/** A private (0700) directory for the socket: in the state directory when the path fits, else a temporary one. */
function socketDirectory(stateDir: string): { dir: string; temporary: boolean } {
  const preferred = join(stateDir, 'run');
  if (join(preferred, 'registry.sock').length <= MAX_SOCKET_PATH) {
    mkdirSync(preferred, { recursive: true, mode: 0o700 });
    chmodSync(preferred, 0o700);
    return { dir: preferred, temporary: false };
  }
  return { dir: mkdtempSync(join(tmpdir(), 'local-ecr-')), temporary: true };
}

/** Stops a registry a crashed local-ecr left behind on this state directory, proven by start time and command line. */
async function stopLeftover(pidFile: string, configFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  let leftover: { pid: number; startTime: string } | undefined;
  try {
    leftover = JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number; startTime: string };
  } catch {
    return; // An unreadable or older pid file proves nothing: leave every process alone.
  }
  if (!isSameProcess(leftover.pid, leftover.startTime) || !commandLine(leftover.pid).includes(configFile)) return;
  process.kill(leftover.pid, 'SIGKILL');
  for (let waited = 0; waited < 2000 && isSameProcess(leftover.pid, leftover.startTime); waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
}

async function waitUntilServing(socketPath: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`docker-registry exited (${child.exitCode ?? child.signalCode}) on start:\n${output()}`);
    try {
      if ((await innerRequest(socketPath, 'GET', '/v2/', {}, undefined, 2000)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(
    `docker-registry did not answer on ${socketPath} within ${START_DEADLINE_MS / 1000} s; its last output: ${output().trim().split('\n').at(-1) ?? '(none)'}`,
  );
}

/** Starts the inner registry over `<stateDir>/registry` and resolves once it answers `GET /v2/`. */
export async function startInnerRegistry(stateDir: string, binary = DEFAULT_REGISTRY_BINARY): Promise<InnerRegistry> {
  if (!existsSync(binary)) {
    throw new Error(
      `local-ecr needs the CNCF distribution registry at ${binary}: install it with 'apt-get install docker-registry' or pass registryBinary.`,
    );
  }
  const storageRoot = join(stateDir, 'registry');
  mkdirSync(storageRoot, { recursive: true });
  const configFile = join(stateDir, 'registry-config.yml');
  const pidFile = join(stateDir, 'registry.pid');
  await stopLeftover(pidFile, configFile);
  const socket = socketDirectory(stateDir);
  const socketPath = join(socket.dir, 'registry.sock');
  writeFileSync(configFile, registryConfig(storageRoot, socketPath, randomBytes(24).toString('hex')), { mode: 0o600 });
  let output = '';
  // setpriv's parent-death signal stops the registry even when local-ecr itself is killed with SIGKILL.
  const [file, args] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'SIGTERM', '--', binary, 'serve', configFile]]
    : [binary, ['serve', configFile]];
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
    // The registry's warnings reach local-ecr's own output (and its log), so a hung start shows why.
    process.stderr.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const pid = child.pid ?? 0;
  writeFileSync(pidFile, JSON.stringify({ pid, startTime: processStartTime(pid) }));
  const cleanup = () => {
    rmSync(pidFile, { force: true });
    rmSync(socket.temporary ? socket.dir : socketPath, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(socketPath, child, () => output);
  } catch (error) {
    cleanup();
    throw error;
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        cleanup();
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGTERM');
    });
  return { socketPath, storageRoot, pid, stop };
}
