// The whole pipeline, end to end, in a scratch copy of this workspace with the real engine, buildx, QEMU and
// local-ecr: generate two services, push them, run one back from the registry, push only what changed, rebuild
// nothing on a fresh engine, and survive a token that expires between login and push.
// The steps share one workspace and one local-ecr and run in order; each asserts its own outcome.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { sh } from '../support/docker';
import { ecrClientFor, useLocalEcr } from '../support/local-ecr';
import { expectSuccess } from '../support/scratch-workspace';
import { pythonBase } from '../support/toolchain';
import { Pipeline, waitForHttp, type EcrPushRecord } from './pipeline-harness';

const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
// Unique names: images live in the one shared engine, next to other suites' images.
const A = `e2e-a-${suffix}`;
const B = `e2e-b-${suffix}`;
const repo = (name: string) => `e2e-dev-${name}`;

describe('pipeline: nx g agent-service → nx run-many/affected -t ecr-push → local-ecr → docker run under QEMU', () => {
  const localEcr = useLocalEcr();
  let p: Pipeline;
  let sha: string;
  const pushed: Record<string, EcrPushRecord> = {};
  const containers: string[] = [];

  beforeAll(() => {
    p = new Pipeline(localEcr);
  });
  afterAll(() => {
    for (const id of containers) sh('docker', ['rm', '-f', id]);
    for (const name of [A, B]) p?.removeLocalImages(name, pushed[name]?.repositoryUri);
    p?.dispose();
  });

  it('1. nx g agent-service makes two aws-agent-core services that build FROM the local registry base', async () => {
    await p.generate(A);
    await p.generate(B);
    for (const name of [A, B]) {
      expect(p.ws.read(`apps/${name}/Dockerfile`)).toContain(`ARG BASE_IMAGE=${pythonBase}\n`);
      const targets = p.ws.readJson<{ targets: Record<string, { executor?: string }> }>(`apps/${name}/project.json`).targets;
      expect(targets['docker-build']?.executor).toBe('nx-agent-ecr:docker-arm64-build');
      expect(targets['ecr-push']?.executor).toBe('nx-agent-ecr:ecr-push');
    }
    const projects = (await p.mustNx(['show', 'projects', '--json'])).stdout;
    expect(JSON.parse(projects.slice(projects.indexOf('[')))).toEqual(expect.arrayContaining([A, B]));
    sha = p.ws.commitAll('two generated agent services');
  });

  it('2. nx run-many -t ecr-push builds both for linux/arm64 and pushes them: latest, git sha, content tag on one digest', async () => {
    await localEcr().resetStats();
    const ran = await p.mustNx(['run-many', '-t', 'ecr-push', '-p', `${A},${B}`]);
    // tools/test.sh runs this step under Node 20, 22 and 24: the SDK's end-of-support warning shows on 20 only.
    const nodeMajor = Number(process.versions.node.split('.')[0]);
    expect({ node: process.versions.node, warned: `${ran.stdout}${ran.stderr}`.includes('NodeVersionSupportWarning') }).toEqual({
      node: process.versions.node,
      warned: nodeMajor < 22,
    });
    for (const name of [A, B]) {
      const build = p.buildRecord(name)!;
      expect(build).toMatchObject({ project: name, built: true, platforms: ['linux/arm64'] });
      expect(build.contentTag).toMatch(/^content-[0-9a-f]{24}$/);
      expect(sh('docker', ['image', 'inspect', '--format', '{{.Architecture}}', `${name}:${build.contentTag}`]).stdout.trim()).toBe(
        'arm64',
      );

      const record = p.pushRecord(name)!;
      expect(record).toMatchObject({ project: name, repositoryName: repo(name), outcome: 'pushed' });
      expect(record.repositoryUri).toBe(`${localEcr().registryHost}/${repo(name)}`);
      expect(record.tags).toEqual(expect.arrayContaining(['latest', sha, build.contentTag]));

      const described = await p.describe(repo(name), build.contentTag);
      expect(described.imageDigest).toBe(record.digest);
      expect(described.imageTags).toEqual(expect.arrayContaining(['latest', sha, build.contentTag]));
      expect(described.imageSizeInBytes).toBeGreaterThan(0);
      expect((await p.uploads(repo(name))).blobUploads).toBeGreaterThan(0);
      pushed[name] = record;
    }
  });

  it('3. the image pulled back by digest runs under QEMU: GET /ping is Healthy, POST /invocations answers with the stand-in', async () => {
    const record = pushed[A]!;
    const ref = `${record.repositoryUri}@${record.digest}`;
    p.removeLocalImages(A, record.repositoryUri);
    expect(p.localImageCount(A)).toBe(0);

    const dockerConfig = mkdtempSync(join(tmpdir(), 'pipeline-docker-'));
    try {
      const token = await ecrClientFor(localEcr()).send(new GetAuthorizationTokenCommand({}));
      const password = Buffer.from(token.authorizationData![0]!.authorizationToken!, 'base64').toString().replace(/^AWS:/, '');
      expectSuccess(
        await p.docker(['login', '--username', 'AWS', '--password-stdin', localEcr().registryHost], dockerConfig, password),
        'docker login',
      );
      expectSuccess(await p.docker(['pull', '--platform', 'linux/arm64', ref], dockerConfig), `docker pull ${ref}`);
    } finally {
      rmSync(dockerConfig, { recursive: true, force: true });
    }
    expect(sh('docker', ['image', 'inspect', '--format', '{{.Architecture}}', ref]).stdout.trim()).toBe('arm64');

    const run = sh('docker', ['run', '-d', '--platform', 'linux/arm64', '-p', '127.0.0.1::8080', '-e', 'AGENT_BACKEND=stub', ref]);
    expect(run.stderr).not.toMatch(/error/i);
    const container = run.stdout.trim();
    containers.push(container);
    const hostPort = sh('docker', ['port', container, '8080/tcp']).stdout.trim().split('\n')[0]!;
    expect(hostPort).toMatch(/^127\.0\.0\.1:\d+$/);

    const ping = await waitForHttp(`http://${hostPort}/ping`, 120_000);
    expect(await ping.json()).toMatchObject({ status: 'Healthy' });
    const invocation = await fetch(`http://${hostPort}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'hello from e2e' }),
    });
    expect(invocation.status).toBe(200);
    expect(await invocation.json()).toMatchObject({ response: '[stub] hello from e2e', backend: 'stub' });
    expect(sh('docker', ['exec', container, 'python3', '-c', 'import platform; print(platform.machine())']).stdout.trim()).toBe('aarch64');
    sh('docker', ['rm', '-f', container]);
  });

  it('4. one file of one service changed: nx affected -t ecr-push builds and pushes that one; the other uploads 0 bytes', async () => {
    p.ws.write(`apps/${A}/src/app/__init__.py`, `${p.ws.read(`apps/${A}/src/app/__init__.py`)}# changed by the e2e suite\n`);
    sha = p.ws.commitAll(`change ${A}`);
    const affected = (await p.mustNx(['show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '-t', 'ecr-push', '--json']))
      .stdout;
    expect(JSON.parse(affected.slice(affected.indexOf('[')))).toEqual([A]);

    p.clearRecords();
    p.shim.reset();
    await localEcr().resetStats();
    await p.mustNx(['affected', '-t', 'ecr-push', '--base=HEAD~1', '--head=HEAD']);

    const build = p.buildRecord(A)!;
    expect(build.built).toBe(true);
    expect(pushed[A]!.tags).not.toContain(build.contentTag);
    expect(p.pushRecord(A)).toMatchObject({ outcome: 'pushed' });
    expect(p.pushRecord(A)!.digest).not.toBe(pushed[A]!.digest);
    expect((await p.uploads(repo(A))).blobUploads).toBeGreaterThan(0);

    expect(p.buildRecord(B)).toBeUndefined();
    expect(p.pushRecord(B)).toBeUndefined();
    expect(await p.uploads(repo(B))).toEqual({ blobUploads: 0, bytesReceived: 0 });
    expect(p.shim.callsOf('buildx', 'build')).toHaveLength(1);
    expect(p.shim.callsOf('push').every((call) => call.args.some((a) => a.includes(repo(A))))).toBe(true);
    pushed[A] = p.pushRecord(A)!;
  });

  it('5. on a fresh engine (images removed, build cache pruned) nx run-many -t ecr-push builds nothing and uploads nothing', async () => {
    for (const name of [A, B]) {
      p.removeLocalImages(name, pushed[name]!.repositoryUri);
      expect(p.localImageCount(name)).toBe(0);
      expect(p.localImageCount(pushed[name]!.repositoryUri)).toBe(0);
    }
    expect(sh('docker', ['builder', 'prune', '-af']).status).toBe(0);

    p.clearRecords();
    p.shim.reset();
    await localEcr().resetStats();
    await p.mustNx(['run-many', '-t', 'ecr-push', '-p', `${A},${B}`]);

    for (const name of [A, B]) {
      // ecr-push found the content in ECR, so it built nothing and wrote no build record.
      expect(p.buildRecord(name)).toBeUndefined();
      const record = p.pushRecord(name)!;
      expect(['skipped', 'retagged']).toContain(record.outcome);
      expect(record.digest).toBe(pushed[name]!.digest);
      expect(await p.uploads(repo(name))).toEqual({ blobUploads: 0, bytesReceived: 0 });
      // B was last pushed at the previous commit: its git sha tag moves to the same digest without data.
      expect((await p.describe(repo(name), sha)).imageDigest).toBe(pushed[name]!.digest);
    }
    expect(p.shim.callsOf('buildx', 'build')).toEqual([]);
    expect(p.shim.callsOf('push')).toEqual([]);
  });

  it('6. when the token expires between login and push, ecr-push fetches a new token and the push succeeds', async () => {
    p.ws.write(`apps/${A}/src/app/__init__.py`, `${p.ws.read(`apps/${A}/src/app/__init__.py`)}# changed again: a real push is needed\n`);
    sha = p.ws.commitAll(`change ${A} again`);
    p.clearRecords();
    p.shim.reset();
    const ran = await p.mustNx(['run-many', '-t', 'ecr-push', '-p', A], { expireTokensBeforeFirstPush: true });

    expect(p.shim.expired()).toBe(true);
    const pushes = p.shim.callsOf('push');
    expect(pushes.length).toBeGreaterThanOrEqual(2);
    expect(pushes[0]!.exitCode).not.toBe(0);
    expect(pushes.some((call, i) => i > 0 && call.exitCode === 0 && call.args.join(' ') === pushes[0]!.args.join(' '))).toBe(true);
    expect(`${ran.stdout}\n${ran.stderr}`).toMatch(/token[^\n]*(expired|rejected)|(expired|rejected)[^\n]*token/i);

    const record = p.pushRecord(A)!;
    expect(record.outcome).toBe('pushed');
    const described = await p.describe(repo(A), p.buildRecord(A)!.contentTag);
    expect(described.imageDigest).toBe(record.digest);
    expect(described.imageTags).toEqual(expect.arrayContaining(['latest', sha]));
  });
});
