// local-ecr's start, stop and crash paths with real processes: a stale pid file, a SIGKILL between the registry's
// write and the bookkeeping (docker push and PutImage), bookkeeping the registry no longer backs, a registry that
// never comes up, and signed passwords that cost no state.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  GetAuthorizationTokenCommand,
  ImageNotFoundException,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { startLocalEcr } from 'local-ecr';
import { sh } from '../support/docker';
import { dockerLoginTo, ecrClientFor, pushTinyImage, registryTags, startTestLocalEcr, type LocalEcr } from '../support/local-ecr';
import { busyboxBase, workspaceRoot } from '../support/toolchain';

const BIN = join(workspaceRoot, 'packages/local-ecr/bin/local-ecr.js');
const cli = (...args: string[]) => sh(process.execPath, [BIN, ...args]);
const alive = (pid: number) => spawnSync('kill', ['-0', String(pid)]).status === 0;
const health = async (ecr: LocalEcr) => (await (await fetch(`${ecr.endpoint}/_local-ecr/health`)).json()) as { stateWrites: number };

describe('local-ecr start, stop and crash', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'local-ecr-life-'));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('never signals a process its stale pid file names: another program now has that pid', () => {
    const other = spawn('sleep', ['300'], { stdio: 'ignore' });
    try {
      const stale = { pid: other.pid, startTime: '1', port: 1, endpoint: 'http://127.0.0.1:1', startedAt: '2026-01-01T00:00:00Z' };
      writeFileSync(join(stateDir, 'local-ecr.json'), JSON.stringify(stale));
      const stop = cli('stop', '--state-dir', stateDir);
      expect(stop.status).toBe(0);
      expect(stop.stderr).toContain(`names pid ${other.pid}, which is no longer local-ecr: left alone.`);
      expect(cli('status', '--state-dir', stateDir).status).toBe(1);
      expect(alive(other.pid!)).toBe(true);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('after a SIGKILL in the middle of a docker push manifest PUT, a restart takes the registry view: DescribeImages agrees with tags/list', async () => {
    const dockerConfig = mkdtempSync(join(tmpdir(), 'docker-config-'));
    let ecr = await startTestLocalEcr({ stateDir });
    const ref = `${ecr.registryHost}/crash/docker:v1`;
    try {
      await ecrClientFor(ecr).send(new CreateRepositoryCommand({ repositoryName: 'crash/docker' }));
      dockerLoginTo(ecr, dockerConfig);
      await ecr.faults.add({ operation: 'registry:PutManifest', crashAfterStore: true });
      expect(sh('docker', ['tag', busyboxBase, ref]).status).toBe(0);
      const push = sh('docker', ['push', ref], { env: { ...process.env, DOCKER_CONFIG: dockerConfig } });
      expect(push.status).not.toBe(0);
      await ecr.stop();
      const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as { images: Record<string, object> };
      expect(state.images['crash/docker'] ?? {}).toEqual({});
      ecr = await startTestLocalEcr({ stateDir, port: ecr.port });
      const described = await ecrClientFor(ecr).send(new DescribeImagesCommand({ repositoryName: 'crash/docker' }));
      expect(described.imageDetails?.map((d) => d.imageTags)).toEqual([['v1']]);
      expect(await registryTags(ecr, 'crash/docker')).toEqual(['v1']);
      expect(sh('docker', ['pull', ref], { env: { ...process.env, DOCKER_CONFIG: dockerConfig } }).status).toBe(0);
      expect(JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'))).toHaveProperty(['images', 'crash/docker']);
    } finally {
      await ecr.stop();
      sh('docker', ['image', 'rm', ref]);
      rmSync(dockerConfig, { recursive: true, force: true });
    }
  });

  it('after a SIGKILL in the middle of PutImage, a restart shows the tag the registry stored', async () => {
    let ecr = await startTestLocalEcr({ stateDir });
    try {
      await ecrClientFor(ecr).send(new CreateRepositoryCommand({ repositoryName: 'crash/put' }));
      const image = await pushTinyImage(ecr, 'crash/put', 'v1', 'crash-put');
      await ecr.faults.add({ operation: 'PutImage', crashAfterStore: true });
      await expect(
        ecrClientFor(ecr, { maxAttempts: 1 }).send(
          new PutImageCommand({ repositoryName: 'crash/put', imageTag: 'prod', imageManifest: image.manifest }),
        ),
      ).rejects.toThrow();
      await ecr.stop();
      ecr = await startTestLocalEcr({ stateDir });
      const described = await ecrClientFor(ecr).send(new DescribeImagesCommand({ repositoryName: 'crash/put' }));
      expect(described.imageDetails?.map((d) => d.imageTags?.sort())).toEqual([['prod', 'v1']]);
      expect(await registryTags(ecr, 'crash/put')).toEqual(['prod', 'v1']);
    } finally {
      await ecr.stop();
    }
  });

  it('forgets at restart an image whose manifest the registry no longer holds', async () => {
    let ecr = await startTestLocalEcr({ stateDir });
    try {
      await ecrClientFor(ecr).send(new CreateRepositoryCommand({ repositoryName: 'crash/gone' }));
      const image = await pushTinyImage(ecr, 'crash/gone', 'v1', 'gone');
      await ecr.stop();
      const revision = join(stateDir, 'registry/docker/registry/v2/repositories/crash/gone/_manifests');
      rmSync(join(revision, 'revisions', 'sha256', image.digest.slice('sha256:'.length), 'link'));
      rmSync(join(revision, 'tags', 'v1'), { recursive: true });
      ecr = await startTestLocalEcr({ stateDir });
      await expect(
        ecrClientFor(ecr).send(new DescribeImagesCommand({ repositoryName: 'crash/gone', imageIds: [{ imageTag: 'v1' }] })),
      ).rejects.toBeInstanceOf(ImageNotFoundException);
      expect(await registryTags(ecr, 'crash/gone')).toEqual([]);
    } finally {
      await ecr.stop();
    }
  });

  describe('with a registry that never comes up', () => {
    let fake: string;
    beforeEach(() => {
      fake = join(stateDir, 'fake-registry');
      writeFileSync(fake, '#!/bin/sh\necho "fake registry: starting and never listening" >&2\nexec sleep 300\n');
      chmodSync(fake, 0o755);
    });
    const fakes = () => sh('pgrep', ['-f', `${fake} serve`]).stdout.trim();

    it('startLocalEcr fails within its start timeout, quoting the last output, and leaves no process behind', async () => {
      const started = Date.now();
      await expect(startLocalEcr({ stateDir, port: 0, registryBinary: fake, startTimeoutMs: 3000 })).rejects.toThrow(
        'local-ecr did not serve within 3 s and was stopped; its last output: fake registry: starting and never listening',
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      for (let waited = 0; fakes() && waited < 5000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(fakes()).toBe('');
      expect(spawnSync('flock', ['--nonblock', join(stateDir, 'local-ecr.lock'), 'true']).status).toBe(0);
    });

    it('`local-ecr start` fails in one line naming the registry and its last output, within its deadline', () => {
      const started = Date.now();
      const start = cli('start', '--port', '0', '--state-dir', stateDir, '--registry-binary', fake);
      expect(start.status).toBe(1);
      expect(start.stderr.trim()).toMatch(
        /^local-ecr: docker-registry did not answer on .*registry\.sock within 15 s; its last output: fake registry: starting and never listening$/,
      );
      expect(Date.now() - started).toBeLessThan(31_000);
      expect(fakes()).toBe('');
    });
  });

  it('issues 2,000 registry passwords without writing or growing its state, and every one of them works', async () => {
    const ecr = await startTestLocalEcr({ stateDir });
    try {
      const client = ecrClientFor(ecr);
      await client.send(new CreateRepositoryCommand({ repositoryName: 'growth/app' }));
      const before = { size: statSync(join(stateDir, 'state.json')).size, writes: (await health(ecr)).stateWrites };
      const tokens: string[] = [];
      for (let batch = 0; batch < 100; batch++) {
        const answers = await Promise.all(Array.from({ length: 20 }, () => client.send(new GetAuthorizationTokenCommand({}))));
        tokens.push(...answers.map((a) => a.authorizationData![0]!.authorizationToken!));
      }
      expect(new Set(tokens).size).toBe(2000);
      expect(statSync(join(stateDir, 'state.json')).size).toBe(before.size);
      expect((await health(ecr)).stateWrites).toBe(before.writes);
      for (const token of [tokens[0]!, tokens[1999]!])
        expect((await fetch(`${ecr.endpoint}/v2/`, { headers: { authorization: `Basic ${token}` } })).status).toBe(200);
    } finally {
      await ecr.stop();
    }
  });
});
