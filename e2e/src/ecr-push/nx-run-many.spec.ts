// Through Nx itself: `nx run-many -t ecr-push --parallel=2` (each task its own process, own temp DOCKER_CONFIG; ecr-push
// builds what it delivers, no docker-build task runs), the summary CLI after it, an unchanged re-run that moves
// nothing, `-c prod` reading the build target under prod, `--batch` (ecr-push's batchImplementation, its tasks in one
// process) building, pushing and skipping, and `nx run <p>:ecr-push --dryRun` building nothing.
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sh } from '../support/docker';
import { ecrClientFor, useLocalEcr } from '../support/local-ecr';
import { expectSuccess, runAsync, ScratchWorkspace } from '../support/scratch-workspace';
import { busyboxBase, workspaceRoot } from '../support/toolchain';

// testTimeout in a jest `projects` entry is ignored, so real-engine suites set their own.
jest.setTimeout(10 * 60_000);

const PROJECTS = ['pushe2e-alpha', 'pushe2e-beta'];

function projectJson(name: string) {
  const environments = { dev: { environment: 'dev' }, staging: { environment: 'staging' }, prod: { environment: 'prod' } };
  return JSON.stringify({
    name,
    root: `apps/${name}`,
    targets: {
      'docker-build': {
        executor: 'nx-agent-ecr:docker-arm64-build',
        configurations: { dev: {}, staging: {}, prod: {} },
        outputs: ['{workspaceRoot}/dist/images/{projectRoot}/build.json'],
        cache: false,
      },
      'ecr-push': {
        executor: 'nx-agent-ecr:ecr-push',
        options: { projectName: 'nxrun' },
        configurations: environments,
        cache: false,
      },
    },
  });
}

describe('nx run-many -t ecr-push (real Nx, real engine, local-ecr)', () => {
  const localEcr = useLocalEcr();
  let ws: ScratchWorkspace;

  beforeAll(() => {
    ws = ScratchWorkspace.create('ecr-push-nx');
    for (const name of PROJECTS) {
      sh('mkdir', ['-p', ws.path('apps', name)]);
      ws.write(`apps/${name}/project.json`, projectJson(name));
      ws.write(`apps/${name}/Dockerfile`, `FROM ${busyboxBase}\nCOPY msg.txt /msg.txt\n`);
      ws.write(`apps/${name}/msg.txt`, `${name}\n`);
    }
    ws.commitAll('two services');
  });
  afterAll(() => {
    const refs = sh('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']).stdout.split('\n');
    const mine = refs.filter((ref) => PROJECTS.some((p) => ref.includes(p)));
    if (mine.length) sh('docker', ['image', 'rm', '-f', ...mine]);
    ws.remove();
  });

  const runMany = (...extra: string[]) =>
    ws.nx(['run-many', '-t', 'ecr-push', '-p', PROJECTS.join(','), '--parallel=2', '--outputStyle=static', ...extra], localEcr().env);
  const summary = (since: string) =>
    runAsync(process.execPath, [join(workspaceRoot, 'packages/nx-agent-ecr/bin/summary.js'), '--root', ws.root, '--since', since], {
      cwd: ws.root,
    });

  it('pushes both services in parallel and the summary lists both as built+pushed', async () => {
    const start = new Date().toISOString();
    const ran = expectSuccess(await runMany(), 'nx run-many -t ecr-push');
    expect(ran.stdout).not.toMatch(/nx-agent-ecr-docker-|"auths"/);
    const table = expectSuccess(await summary(start), 'summary').stdout;
    for (const name of PROJECTS) {
      expect(table).toMatch(new RegExp(`^${name}\\s+latest\\s+[0-9a-f]{12}\\s+built\\+pushed`, 'm'));
      const images = await ecrClientFor(localEcr()).send(
        new DescribeImagesCommand({ repositoryName: `nxrun-dev-${name}`, imageIds: [{ imageTag: 'latest' }] }),
      );
      expect(images.imageDetails?.[0]?.imageDigest).toMatch(/^sha256:/);
    }
  });

  it('an unchanged re-run builds nothing and uploads nothing', async () => {
    await localEcr().resetStats();
    const start = new Date().toISOString();
    expectSuccess(await runMany(), 'second nx run-many -t ecr-push');
    const table = expectSuccess(await summary(start), 'summary').stdout;
    for (const name of PROJECTS) expect(table).toMatch(new RegExp(`^${name}\\s+latest\\s+[0-9a-f]{12}\\s+skipped`, 'm'));
    const stats = await localEcr().stats();
    expect(Object.values(stats.repositories).reduce((n, r) => n + r.blobUploads, 0)).toBe(0);
  });

  it('-c prod reads the build target under prod: both are promoted from dev without a build', async () => {
    const records = PROJECTS.map((name) => ws.read(`dist/images/apps/${name}/build.json`));
    const start = new Date().toISOString();
    const ran = expectSuccess(await runMany('-c', 'prod'), 'nx run-many -t ecr-push -c prod');
    expect(ran.stdout).not.toMatch(/docker-build/);
    const table = expectSuccess(await summary(start), 'summary').stdout;
    for (const name of PROJECTS) expect(table).toMatch(new RegExp(`^${name}\\s+latest\\s+[0-9a-f]{12}\\s+promoted`, 'm'));
    expect(PROJECTS.map((name) => ws.read(`dist/images/apps/${name}/build.json`))).toEqual(records);
  });

  // A preload in every node process of the run logs its script, so the test sees which Nx runners ran the tasks.
  const runBatch = async () => {
    sh('mkdir', ['-p', ws.path('tmp')]);
    const log = ws.path('tmp', 'node-scripts.log');
    rmSync(log, { force: true });
    ws.write('tmp/log-script.cjs', `require('node:fs').appendFileSync(${JSON.stringify(log)}, String(process.argv[1]) + '\\n');\n`);
    const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --require ${ws.path('tmp', 'log-script.cjs')}`.trim();
    const ran = await ws.nx(['run-many', '-t', 'ecr-push', '-p', PROJECTS.join(','), '--batch', '--outputStyle=static'], {
      ...localEcr().env,
      NODE_OPTIONS: nodeOptions,
    });
    return { ran, scripts: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  };
  const latestDigest = async (name: string) =>
    (
      await ecrClientFor(localEcr()).send(
        new DescribeImagesCommand({ repositoryName: `nxrun-dev-${name}`, imageIds: [{ imageTag: 'latest' }] }),
      )
    ).imageDetails?.[0]?.imageDigest;
  const recordDigest = (name: string) => ws.readJson<{ digest: string }>(`dist/images/apps/${name}/ecr-push.json`).digest;

  it('--batch: the ecr-push tasks in one process; both changed services built+pushed, an unchanged re-run uploads 0 blobs', async () => {
    for (const name of PROJECTS) ws.write(`apps/${name}/msg.txt`, `${name} batch\n`);
    ws.commitAll('change both services');
    let start = new Date().toISOString();
    const first = await runBatch();
    expectSuccess(first.ran, 'nx run-many -t ecr-push --batch');
    expect(first.scripts.filter((s) => s.includes('run-batch')).length).toBeGreaterThanOrEqual(1);
    expect(first.scripts.filter((s) => s.includes('run-executor'))).toEqual([]);
    let table = expectSuccess(await summary(start), 'summary').stdout;
    const pushed: Record<string, string> = {};
    const builds: Record<string, string> = {};
    for (const name of PROJECTS) {
      expect(table).toMatch(new RegExp(`^${name}\\s+latest\\s+[0-9a-f]{12}\\s+built\\+pushed`, 'm'));
      expect(ws.readJson<{ built: boolean }>(`dist/images/apps/${name}/build.json`).built).toBe(true);
      builds[name] = ws.read(`dist/images/apps/${name}/build.json`);
      pushed[name] = recordDigest(name);
      expect(await latestDigest(name)).toBe(pushed[name]);
    }

    await localEcr().resetStats();
    start = new Date().toISOString();
    const second = await runBatch();
    expectSuccess(second.ran, 'second nx run-many -t ecr-push --batch');
    expect(second.scripts.filter((s) => s.includes('run-executor'))).toEqual([]);
    table = expectSuccess(await summary(start), 'summary').stdout;
    for (const name of PROJECTS) {
      expect(table).toMatch(new RegExp(`^${name}\\s+latest\\s+[0-9a-f]{12}\\s+skipped`, 'm'));
      expect(ws.read(`dist/images/apps/${name}/build.json`)).toBe(builds[name]);
      expect(await latestDigest(name)).toBe(pushed[name]);
    }
    const stats = await localEcr().stats();
    expect(Object.values(stats.repositories).reduce((n, r) => n + r.blobUploads, 0)).toBe(0);
  });

  it('ecr-push --dryRun through Nx builds nothing and runs no other task; the plan says "would build"', async () => {
    const [name] = PROJECTS;
    ws.write(`apps/${name}/msg.txt`, `${name} dry run\n`);
    ws.commitAll('change for a dry run');
    const before = ws.read(`dist/images/apps/${name}/build.json`);
    const ran = expectSuccess(
      await ws.nx(['run', `${name}:ecr-push`, '--dryRun', '--outputStyle=static'], localEcr().env),
      'nx run --dryRun',
    );
    const output = `${ran.stdout}${ran.stderr}`;
    expect(output).not.toMatch(/docker-build/);
    const contentTag = /would build \S+:(content-[0-9a-f]{24})/.exec(output)?.[1];
    expect(contentTag).toBeDefined();
    expect(ws.read(`dist/images/apps/${name}/build.json`)).toBe(before);
    expect(sh('docker', ['image', 'ls', '-q', `${name}:${contentTag}`]).stdout.trim()).toBe('');
  });
});
