// The README's first command, tools/quickstart.sh, run from a scratch copy of the workspace with its own local-ecr
// (state dir and port of its own): it says it is offline in one line, pushes the offline sample, prints the URIs
// and the summary, and a second run builds and uploads nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sh } from '../support/docker';
import { runAsync, ScratchWorkspace, type Ran } from '../support/scratch-workspace';

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('tools/quickstart.sh --offline (the README main command) in a scratch workspace', () => {
  let ws: ScratchWorkspace;
  let stateDir: string;
  let port: number;
  const repository = 'nx-agent-ecr-workspace-dev-offline-sample';

  const localEcr = (...args: string[]) =>
    sh(process.execPath, [ws.path('packages/local-ecr/bin/local-ecr.js'), ...args, '--state-dir', stateDir], { cwd: ws.root });
  const quickstart = (): Promise<Ran> =>
    runAsync('bash', ['tools/quickstart.sh', '--offline'], {
      cwd: ws.root,
      env: { LOCAL_ECR_STATE_DIR: stateDir, LOCAL_ECR_PORT: String(port), NO_COLOR: '1' },
    });
  const output = (ran: Ran) => `${ran.stdout}\n${ran.stderr}`;

  beforeAll(async () => {
    ws = ScratchWorkspace.create('quickstart');
    stateDir = mkdtempSync(join(tmpdir(), 'quickstart-local-ecr-'));
    port = await freePort();
  });
  afterAll(() => {
    if (stateDir) localEcr('stop');
    rmSync(stateDir, { recursive: true, force: true });
    ws?.remove();
  });

  it('says OFFLINE in one line, pushes the offline sample to local-ecr, prints URIs and summary, leaves local-ecr running', async () => {
    const ran = await quickstart();
    const text = output(ran);
    if (ran.exitCode !== 0) throw new Error(`quickstart exited ${ran.exitCode}\n${text}`);
    expect(text.match(/^OFFLINE: .*the four services are NOT built.*offline sample service/gm)).toHaveLength(1);
    expect(text).toContain(`127.0.0.1:${port}/${repository}:latest`);
    expect(text).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port}/${repository}@sha256:[0-9a-f]{64}$`, 'm'));
    expect(text).toMatch(/^service\s+tag\s+digest\s+action\s+seconds$/m);
    expect(text).toMatch(/^offline-sample\s+latest\s+[0-9a-f]{12}\s+built\+pushed\s/m);
    expect(text).not.toMatch(/^(aws-agent-core|langgraph|snowflake-cortex|langfuse)\s+\S+\s+[0-9a-f]{12}\s/m);
    expect(text).toContain('npx local-ecr stop');
    expect(localEcr('status').status).toBe(0);
  });

  it('a second run builds nothing and uploads nothing: the sample is reported skipped', async () => {
    expect(localEcr('stats', '--reset').status).toBe(0);
    const ran = await quickstart();
    const text = output(ran);
    if (ran.exitCode !== 0) throw new Error(`quickstart exited ${ran.exitCode}\n${text}`);
    expect(text).toMatch(/^offline-sample\s+latest\s+[0-9a-f]{12}\s+skipped\s/m);
    expect(text).not.toMatch(/naming to .*offline-sample/);
    const stats = JSON.parse(localEcr('stats').stdout) as { repositories: Record<string, { blobUploads: number; bytesReceived: number }> };
    expect(stats.repositories[repository]?.blobUploads ?? 0).toBe(0);
    expect(stats.repositories[repository]?.bytesReceived ?? 0).toBe(0);
  });
});
