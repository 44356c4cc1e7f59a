// Races against one local-ecr: concurrent writes of one tag (PutImage through the SDK, `docker push` through the
// Docker CLI) and concurrent starts on one state directory (startLocalEcr and `local-ecr start`).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  PutImageCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { sh } from '../support/docker';
import {
  dockerLoginTo,
  ecrClientFor,
  pushTinyImage,
  registryPassword,
  registryTags,
  startTestLocalEcr,
  useLocalEcr,
  type LocalEcr,
} from '../support/local-ecr';
import { busyboxBase, workspaceRoot } from '../support/toolchain';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the event loop, so several can run at once. */
const run = (file: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  new Promise<Ran>((resolve) => {
    const child = spawn(file, args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });

/** The digest the registry itself serves for a tag. */
async function registryDigest(ecr: LocalEcr, repository: string, tag: string): Promise<string | null> {
  const auth = Buffer.from(`AWS:${await registryPassword(ecr)}`).toString('base64');
  const answer = await fetch(`${ecr.endpoint}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      authorization: `Basic ${auth}`,
      accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    },
  });
  return answer.headers.get('docker-content-digest');
}

/** docker-registry processes serving the config of one state directory. */
const registriesOf = (stateDir: string) =>
  readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(join(stateDir, 'registry-config.yml'));
      } catch {
        return false;
      }
    });

describe('local-ecr under concurrent writes of one tag', () => {
  const localEcr = useLocalEcr();
  let ecr: ECRClient;
  beforeAll(() => {
    ecr = ecrClientFor(localEcr());
  });

  it('lets exactly one of eight concurrent PutImage calls write a tag of an IMMUTABLE repository; the registry agrees', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'race/put', imageTagMutability: 'IMMUTABLE' }));
    const images = await Promise.all(Array.from({ length: 8 }, (_, n) => pushTinyImage(localEcr(), 'race/put', undefined, `put-${n}`)));
    const outcomes = await Promise.allSettled(
      images.map((image) => ecr.send(new PutImageCommand({ repositoryName: 'race/put', imageTag: 'v1', imageManifest: image.manifest }))),
    );
    const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.image!.imageId!.imageDigest!] : []));
    expect(won).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected'))
      expect(outcome.reason).toMatchObject({ name: 'ImageTagAlreadyExistsException' });
    const described = await ecr.send(new DescribeImagesCommand({ repositoryName: 'race/put', imageIds: [{ imageTag: 'v1' }] }));
    expect(described.imageDetails?.map((d) => d.imageDigest)).toEqual(won);
    expect(await registryDigest(localEcr(), 'race/put', 'v1')).toBe(won[0]);
    expect(await registryTags(localEcr(), 'race/put')).toEqual(['v1']);
  });

  it('ends a MUTABLE tag where the registry has it after eight concurrent PutImage calls', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'race/mutable' }));
    const images = await Promise.all(
      Array.from({ length: 8 }, (_, n) => pushTinyImage(localEcr(), 'race/mutable', undefined, `mutable-${n}`)),
    );
    await Promise.all(
      images.map((image) =>
        ecr.send(new PutImageCommand({ repositoryName: 'race/mutable', imageTag: 'latest', imageManifest: image.manifest })),
      ),
    );
    const described = await ecr.send(new DescribeImagesCommand({ repositoryName: 'race/mutable', filter: { tagStatus: 'TAGGED' } }));
    expect(described.imageDetails).toHaveLength(1);
    expect(described.imageDetails![0]!.imageDigest).toBe(await registryDigest(localEcr(), 'race/mutable', 'latest'));
  });

  it('lets exactly one of two concurrent `docker manifest push` of one tag into an IMMUTABLE repository win', async () => {
    const host = localEcr().registryHost;
    const configs = [mkdtempSync(join(tmpdir(), 'docker-config-')), mkdtempSync(join(tmpdir(), 'docker-config-'))];
    const sources = ['a', 'b'].map((variant) => `${host}/race/docker:${variant}`);
    try {
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'race/docker', imageTagMutability: 'IMMUTABLE' }));
      for (const config of configs) dockerLoginTo(localEcr(), config);
      // Two distinct images without running anything: a label committed onto a created (never started) container.
      for (const [n, ref] of sources.entries()) {
        const container = sh('docker', ['create', '--platform', 'linux/arm64', busyboxBase]).stdout.trim();
        expect(sh('docker', ['commit', '--change', `LABEL race=${n}`, container, ref]).status).toBe(0);
        sh('docker', ['rm', container]);
        expect(sh('docker', ['push', ref], { env: { ...process.env, DOCKER_CONFIG: configs[0] } }).status).toBe(0);
      }
      // Each config holds a different list for the same tag; both are pushed at once, and only the PUTs race.
      const target = `${host}/race/docker:v1`;
      for (const [n, config] of configs.entries()) {
        const created = sh('docker', ['manifest', 'create', '--insecure', target, sources[n]!], {
          env: { ...process.env, DOCKER_CONFIG: config },
        });
        expect(created.stderr).toBe('');
      }
      const pushes = await Promise.all(
        configs.map((config) => run('docker', ['manifest', 'push', '--insecure', target], { ...process.env, DOCKER_CONFIG: config })),
      );
      expect(pushes.map((p) => p.code).sort()).toEqual([0, 1]);
      expect(pushes.find((p) => p.code !== 0)?.stderr).toContain(
        "The image tag 'v1' already exists in the 'race/docker' repository and cannot be overwritten",
      );
      const described = await ecr.send(new DescribeImagesCommand({ repositoryName: 'race/docker', imageIds: [{ imageTag: 'v1' }] }));
      expect(described.imageDetails?.[0]?.imageDigest).toBe(pushes.find((p) => p.code === 0)?.stdout.trim());
      expect(await registryTags(localEcr(), 'race/docker')).toEqual(['a', 'b', 'v1']);
    } finally {
      for (const ref of sources) sh('docker', ['image', 'rm', ref]);
      for (const config of configs) rmSync(config, { recursive: true, force: true });
    }
  });
});

describe('local-ecr under concurrent starts on one state directory', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'local-ecr-race-'));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('serves from exactly one of two startLocalEcr calls, whose registry survives the other', async () => {
    const outcomes = await Promise.allSettled([startTestLocalEcr({ stateDir }), startTestLocalEcr({ stateDir })]);
    const serving = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    try {
      expect(serving).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(String(refused.reason)).toContain(`local-ecr already serves ${stateDir}`);
      const client = ecrClientFor(serving[0]!);
      await client.send(new CreateRepositoryCommand({ repositoryName: 'race/start' }));
      await pushTinyImage(serving[0]!, 'race/start', 'v1', 'start');
      expect((await client.send(new DescribeRepositoriesCommand({}))).repositories).toHaveLength(1);
      expect(registriesOf(stateDir)).toHaveLength(1);
    } finally {
      for (const ecr of serving) await ecr.stop();
    }
  });

  it('answers two concurrent `local-ecr start` with one instance: one says started, the other already running', async () => {
    const bin = join(workspaceRoot, 'packages/local-ecr/bin/local-ecr.js');
    const start = () => run(process.execPath, [bin, 'start', '--port', '0', '--state-dir', stateDir]);
    try {
      const [first, second] = await Promise.all([start(), start()]);
      expect([first!.code, second!.code]).toEqual([0, 0]);
      expect(first!.stdout).toBe(second!.stdout);
      expect([first!.stderr, second!.stderr].map((text) => /local-ecr (started|is already running)/.exec(text)?.[1]).sort()).toEqual([
        'is already running',
        'started',
      ]);
      expect(registriesOf(stateDir)).toHaveLength(1);
      const env = { ...process.env, ...Object.fromEntries([...first!.stdout.matchAll(/(\w+)='([^']*)'/g)].map((m) => [m[1], m[2]])) };
      expect(sh('aws', ['ecr', 'describe-repositories'], { env }).status).toBe(0);
    } finally {
      sh(process.execPath, [bin, 'stop', '--state-dir', stateDir]);
    }
  });
});
