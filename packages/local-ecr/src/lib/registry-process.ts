// Runs the real CNCF distribution registry (Debian's docker-registry) on an internal loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const DEFAULT_REGISTRY_BINARY = '/usr/bin/docker-registry';
const SETPRIV = '/usr/bin/setpriv';

export interface InnerRegistry {
  /** http://127.0.0.1:<port>, reachable only from this machine. */
  origin: string;
  /** Root of the filesystem storage driver (…/docker/registry/v2 lives below it). */
  storageRoot: string;
  stop(): Promise<void>;
}

/** The registry's config.yml: filesystem storage in the state directory, deletes on, no auth, no blob cache. */
export function registryConfig(storageRoot: string, port: number, secret: string): string {
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
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${secret}`,
    '',
  ].join('\n');
}

/** A free loopback port, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Stops a registry a crashed local-ecr left behind on this state directory (its pid file names it). */
function stopLeftover(pidFile: string, configFile: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes(configFile)) process.kill(pid, 'SIGTERM');
  } catch {
    // Not running any more: nothing to stop.
  }
}

async function waitUntilServing(origin: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode} on start:\n${output()}`);
    try {
      const response = await fetch(`${origin}/v2/`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`docker-registry did not answer on ${origin} within 15 s:\n${output()}`);
}

/** Starts the inner registry over `<stateDir>/registry` and resolves once it answers `GET /v2/`. */
export async function startInnerRegistry(stateDir: string, binary = DEFAULT_REGISTRY_BINARY): Promise<InnerRegistry> {
  if (!existsSync(binary)) {
    throw new Error(
      `local-ecr needs the CNCF distribution registry at ${binary}: install ` +
        `it with 'apt-get install docker-registry' or pass registryBinary.`,
    );
  }
  const storageRoot = join(stateDir, 'registry');
  mkdirSync(storageRoot, { recursive: true });
  const configFile = join(stateDir, 'registry-config.yml');
  const pidFile = join(stateDir, 'registry.pid');
  stopLeftover(pidFile, configFile);
  const port = await freePort();
  writeFileSync(configFile, registryConfig(storageRoot, port, randomBytes(24).toString('hex')));
  let output = '';
  // setpriv's parent-death signal stops the registry even when local-ecr itself is killed with SIGKILL.
  const [file, args] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'SIGTERM', '--', binary, 'serve', configFile]]
    : [binary, ['serve', configFile]];
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  writeFileSync(pidFile, String(child.pid));
  const origin = `http://127.0.0.1:${port}`;
  await waitUntilServing(origin, child, () => output);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { origin, storageRoot, stop };
}
