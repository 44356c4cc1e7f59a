// startLocalEcr: the programmatic entry point. It runs local-ecr in a child process by default, so a caller
// that blocks its own event loop (jest suites calling spawnSync on docker or aws) cannot stall the endpoint.
import { spawn } from 'node:child_process';
import { resolve, join } from 'node:path';
import {
  defaultStateDir,
  localEcrEnv,
  serveLocalEcr,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_PORT,
  type LocalEcr,
  type LocalEcrOptions,
} from './serve';
import type { Stats } from './stats';

export { defaultStateDir, localEcrEnv, DEFAULT_ACCOUNT_ID, DEFAULT_PORT, type LocalEcr, type LocalEcrOptions };

const BIN = join(__dirname, '..', '..', 'bin', 'local-ecr.js');

/** The `local-ecr start --foreground` arguments that reproduce these options in a child process. */
export function childArgs(options: LocalEcrOptions, stateDir: string): string[] {
  return [
    'start',
    '--foreground',
    '--exit-with-parent',
    '--state-dir',
    stateDir,
    '--port',
    String(options.port ?? DEFAULT_PORT),
    ...(options.tokenTtlSeconds !== undefined ? ['--token-ttl', String(options.tokenTtlSeconds)] : []),
    ...(options.region ? ['--region', options.region] : []),
    ...(options.registryBinary ? ['--registry-binary', options.registryBinary] : []),
  ];
}

/** Starts local-ecr and resolves once it serves; the answer's methods work the same in both modes. */
export async function startLocalEcr(options: LocalEcrOptions = {}): Promise<LocalEcr> {
  if (options.inProcess) return serveLocalEcr(options);
  const stateDir = resolve(options.stateDir ?? defaultStateDir());
  // stdin stays a pipe: the child stops when it closes, i.e. when this process goes away, even by SIGKILL.
  const child = spawn(process.execPath, [BIN, ...childArgs(options, stateDir)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-8000)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const endpoint = await new Promise<string>((done, fail) => {
    const check = () => {
      const found = /AWS_ENDPOINT_URL='([^']+)'/.exec(stdout)?.[1];
      if (found) done(found);
    };
    child.stdout.on('data', check);
    void exited.then(() => fail(new Error(stderr.trim().split('\n').at(-1) ?? `local-ecr exited with ${child.exitCode}`)));
  });
  const region = /AWS_REGION='([^']+)'/.exec(stdout)?.[1] ?? 'us-east-1';
  const admin = async (method: 'GET' | 'POST', path: string): Promise<unknown> => {
    const response = await fetch(`${endpoint}/_local-ecr${path}`, { method });
    if (!response.ok) throw new Error(`local-ecr answered ${response.status} to ${method} ${path}`);
    return response.json();
  };
  let stopped: Promise<void> | undefined;
  const host = endpoint.replace(/^http:\/\//, '');
  return {
    endpoint,
    registryHost: host,
    port: Number(host.split(':')[1]),
    region,
    accountId: DEFAULT_ACCOUNT_ID,
    stateDir,
    env: localEcrEnv(endpoint, region),
    stats: async () => (await admin('GET', '/stats')) as Stats,
    resetStats: async () => void (await admin('POST', '/stats/reset')),
    expireTokens: async () => void (await admin('POST', '/expire-tokens')),
    stop: () =>
      (stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      })()),
  };
}
