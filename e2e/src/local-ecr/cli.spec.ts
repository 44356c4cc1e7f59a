// The `npx local-ecr` command: background start, the printed env, status, stats, a busy port, stop, restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sh } from '../support/docker';
import { workspaceRoot } from '../support/toolchain';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

describe('npx local-ecr', () => {
  let stateDir: string;
  let otherStateDir: string;
  let port: number;
  // --no: never fetch a package named local-ecr from the registry; the workspace's bin must be the one that runs.
  const cli = (...args: string[]) => sh('npx', ['--no', 'local-ecr', ...args], { cwd: workspaceRoot });
  const inShell = (exportLine: string, command: string) => sh('bash', ['-c', `${exportLine}\n${command}`], { cwd: workspaceRoot });

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'local-ecr-cli-'));
    otherStateDir = mkdtempSync(join(tmpdir(), 'local-ecr-cli-other-'));
    port = await freePort();
  });
  afterAll(() => {
    cli('stop', '--state-dir', stateDir);
    cli('stop', '--state-dir', otherStateDir);
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(otherStateDir, { recursive: true, force: true });
  });

  it('starts in the background and prints only the export line on stdout, which the AWS CLI can use', () => {
    const start = cli('start', '--port', String(port), '--state-dir', stateDir);
    expect(start.status).toBe(0);
    expect(start.stderr).toContain(`local-ecr started at http://127.0.0.1:${port}`);
    expect(start.stdout.trim()).toBe(
      `export AWS_ENDPOINT_URL='http://127.0.0.1:${port}' AWS_REGION='us-east-1' ` +
        `AWS_DEFAULT_REGION='us-east-1' AWS_ACCESS_KEY_ID='local' AWS_SECRET_ACCESS_KEY='local'`,
    );
    const created = inShell(
      start.stdout,
      'aws ecr create-repository --repository-name cli/app --output json && aws sts get-caller-identity --output text',
    );
    expect(created.status).toBe(0);
    expect(created.stdout).toContain(`"repositoryUri": "127.0.0.1:${port}/cli/app"`);
    expect(created.stdout).toContain('000000000000');
  });

  it('says it is already running when started again, and exits 0 with the same env', () => {
    const again = cli('start', '--port', String(port), '--state-dir', stateDir);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(`local-ecr is already running at http://127.0.0.1:${port}`);
    expect(again.stdout).toContain(`AWS_ENDPOINT_URL='http://127.0.0.1:${port}'`);
  });

  it('reports status, and stats: bytes uploaded per repository and API calls per operation', () => {
    const status = cli('status', '--state-dir', stateDir);
    expect(status.status).toBe(0);
    expect(status.stdout).toContain(`local-ecr is running at http://127.0.0.1:${port}`);
    expect(status.stdout).toContain('1 repositories, 0 images');
    const stats = cli('stats', '--state-dir', stateDir);
    expect(stats.status).toBe(0);
    // No upload yet; the API calls the first test made through the AWS CLI, counted by operation.
    expect(JSON.parse(stats.stdout)).toEqual({ repositories: {}, calls: { CreateRepository: 1, 'sts:GetCallerIdentity': 1 } });
    expect(cli('expire-tokens', '--state-dir', stateDir).status).toBe(0);
  });

  it('refuses a port in use with one line naming the port and --port', () => {
    const busy = cli('start', '--port', String(port), '--state-dir', otherStateDir);
    expect(busy.status).toBe(1);
    expect(
      busy.stderr
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('npm warn')),
    ).toEqual([`local-ecr: Port ${port} on 127.0.0.1 is already in use: stop what uses it or pick another port with --port.`]);
  });

  it('stops, reports that it is stopped (exit 1), and stopping again is harmless', () => {
    expect(cli('stop', '--state-dir', stateDir)).toMatchObject({ status: 0, stderr: expect.stringContaining('local-ecr stopped') });
    expect(cli('status', '--state-dir', stateDir)).toMatchObject({
      status: 1,
      stdout: expect.stringContaining('local-ecr is not running'),
    });
    expect(cli('stop', '--state-dir', stateDir)).toMatchObject({ status: 0, stderr: expect.stringContaining('is not running') });
  });

  it('keeps its repositories across a stop and a start on the same state directory', () => {
    const start = cli('start', '--port', String(port), '--state-dir', stateDir);
    expect(start.status).toBe(0);
    const described = inShell(start.stdout, 'aws ecr describe-repositories --output text --query "repositories[].repositoryName"');
    expect(described.stdout.trim()).toBe('cli/app');
  });
});
