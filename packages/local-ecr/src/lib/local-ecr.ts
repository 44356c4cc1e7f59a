// startLocalEcr: the programmatic entry point. It runs local-ecr in a child process by default, so a caller
// that blocks its own event loop (jest suites calling spawnSync on docker or aws) cannot stall the endpoint.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve, join } from 'node:path';
import { adminApi, adminCall } from './admin-client';
import { readAdminSecret } from './secret-files';
import {
  defaultStateDir,
  localEcrEnv,
  serveLocalEcr,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_PORT,
  type LocalEcr,
  type LocalEcrOptions,
} from './serve';

export { defaultStateDir, localEcrEnv, DEFAULT_ACCOUNT_ID, DEFAULT_PORT, type LocalEcr, type LocalEcrOptions };

const BIN = join(__dirname, '..', '..', 'bin', 'local-ecr.js');
const DEFAULT_START_TIMEOUT_MS = 60_000;

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
    ...(options.accountId ? ['--account-id', options.accountId] : []),
    ...(options.registryBinary ? ['--registry-binary', options.registryBinary] : []),
  ];
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

/** Resolves with the endpoint the child prints; fails with its last output when it exits or misses the deadline. */
function endpointOf(
  child: ChildProcess,
  exited: Promise<void>,
  timeoutMs: number,
  output: () => { stdout: string; stderr: string },
): Promise<string> {
  return new Promise<string>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(
        new Error(
          `local-ecr did not serve within ${timeoutMs / 1000} s and was stopped; its last output: ${lastLine(output().stderr) || '(none)'}`,
        ),
      );
    }, timeoutMs);
    child.stdout?.on('data', () => {
      const found = /AWS_ENDPOINT_URL='([^']+)'/.exec(output().stdout)?.[1];
      if (!found) return;
      clearTimeout(timer);
      done(found);
    });
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(lastLine(output().stderr) || `local-ecr exited with ${child.exitCode}`));
    });
  });
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
  const endpoint = await endpointOf(child, exited, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS, () => ({ stdout, stderr }));
  const region = /AWS_REGION='([^']+)'/.exec(stdout)?.[1] ?? 'us-east-1';
  const adminSecret = readAdminSecret(stateDir);
  let stopped: Promise<void> | undefined;
  const host = endpoint.replace(/^http:\/\//, '');
  return {
    endpoint,
    registryHost: host,
    port: Number(host.split(':')[1]),
    region,
    accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
    stateDir,
    adminSecret,
    env: localEcrEnv(endpoint, region),
    ...adminApi(adminCall(endpoint, adminSecret)),
    stop: () =>
      (stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      })()),
  };
}
