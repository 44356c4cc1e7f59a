// One moto_server per suite: moto (an independent AWS implementation) serves ECS, bedrock-agentcore-control and
// STS on a free loopback port. Found without relying on the caller's PATH (CI runs with the machine's environment):
// $MOTO_PYTHON, then pyenv's interpreters, then python3.11 / python3 on PATH. Missing moto fails the suite loudly.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Modules a python must import to serve what the deploy suites call (Debian's python3-moto 5.1 lacks the last). */
const PROBE = 'import flask, moto, moto.server, moto.ecs, moto.sts, moto.bedrockagentcorecontrol; print(moto.__version__)';
export const MOTO_HINT =
  "install moto with its server extra into a Python 3.11 (pip install 'moto[server]==5.2.1'; this machine image has it " +
  'under pyenv), or set MOTO_PYTHON to such a python';

export interface Moto {
  endpoint: string;
  python: string;
  version: string;
  /** Credentials, region and the per-service endpoints, so each SDK client of a deploy reaches moto. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

function candidates(env: NodeJS.ProcessEnv): string[] {
  const pyenvRoot = env['PYENV_ROOT'] || join(homedir(), '.pyenv');
  const versions = existsSync(join(pyenvRoot, 'versions'))
    ? readdirSync(join(pyenvRoot, 'versions')).sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
    : [];
  return [
    ...(env['MOTO_PYTHON'] ? [env['MOTO_PYTHON']] : []),
    ...versions.map((v) => join(pyenvRoot, 'versions', v, 'bin', 'python3')).filter((p) => existsSync(p)),
    'python3.11',
    'python3',
  ];
}

/** The first python that imports moto's server with ECS and bedrock-agentcore-control; throws one line otherwise. */
export function findMotoPython(env: NodeJS.ProcessEnv = process.env): { python: string; version: string } {
  const tried: string[] = [];
  for (const python of candidates(env)) {
    const probe = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', timeout: 60_000, env });
    if (probe.status === 0) return { python, version: probe.stdout.trim() };
    tried.push(python);
  }
  throw new Error(`moto_server with ECS and bedrock-agentcore-control was not found (tried ${tried.join(', ')}): ${MOTO_HINT}.`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function ready(endpoint: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited ${child.exitCode} before answering:\n${output()}`);
    const ok = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs / 1000}s:\n${output()}`);
}

/** Starts moto_server on a free port (a second port if another process took the first). */
export async function startMoto(): Promise<Moto> {
  const { python, version } = findMotoPython();
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (output += d));
    const stop = () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    try {
      await ready(endpoint, child, () => output.slice(-2000), 30_000);
      const env = {
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_ECS: endpoint,
        AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL: endpoint,
        AWS_ENDPOINT_URL_STS: endpoint,
      };
      return { endpoint, python, version, env, stop };
    } catch (error) {
      lastError = error;
      await stop();
    }
  }
  throw lastError;
}

/** beforeAll/afterAll for a suite: `const moto = useMoto(); … moto().env`. */
export function useMoto(): () => Moto {
  let moto: Moto | undefined;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });
  return () => {
    if (!moto) throw new Error('moto_server is not running: call useMoto() at the top of a describe block.');
    return moto;
  };
}
