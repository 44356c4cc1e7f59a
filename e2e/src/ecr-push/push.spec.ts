// ecr-push against local-ecr with the real engine: push and verify, skip unchanged content (no build, no upload),
// rebuild after a source change, survive a fresh engine, plan a dry run without building, promote without a
// rebuild (blobs mounted when the account allows cross-repository mounts, copied when not, as on ECR).
// Every case makes its own workspace and project (so its own repositories) and runs alone with -t.
import { BatchGetImageCommand, DescribeImagesCommand, PutAccountSettingCommand } from '@aws-sdk/client-ecr';
import { defaultDeps } from 'nx-agent-ecr/src/executors/ecr-push/executor';
import { DockerLoginSession } from 'nx-agent-ecr/src/lib/ecr/registry-login';
import { createRunScope } from 'nx-agent-ecr/src/lib/task/run-scope';
import { sh } from '../support/docker';
import { ecrClientFor, useLocalEcr } from '../support/local-ecr';
import { PushWorkspace, useEnv } from './harness';

// testTimeout in a jest `projects` entry is ignored, so real-engine suites set their own.
jest.setTimeout(10 * 60_000);

describe('ecr-push against local-ecr (real engine)', () => {
  const localEcr = useLocalEcr();
  let ws: PushWorkspace;
  let restoreEnv: () => void;
  const timings: string[] = [];

  beforeAll(() => {
    restoreEnv = useEnv(localEcr().env);
  });
  beforeEach(() => {
    ws = new PushWorkspace();
  });
  afterEach(() => ws.dispose());
  afterAll(() => {
    restoreEnv();
    console.log(`ecr-push e2e timings:\n${timings.join('\n')}`);
  });

  const devRepo = () => `e2e-dev-${ws.project}`;
  const describeTag = async (repositoryName: string, imageTag: string) =>
    (await ecrClientFor(localEcr()).send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag }] }))).imageDetails?.[0];
  /** ECR's account setting that allows cross-repository blob mounts (DISABLED unless put, as on AWS). */
  const setBlobMounting = async (value: 'ENABLED' | 'DISABLED') =>
    ecrClientFor(localEcr()).send(new PutAccountSettingCommand({ name: 'BLOB_MOUNTING', value }));
  /** Config and layer descriptors of an image (of every platform, for an index), read back through the ECR API. */
  const blobsOf = async (repositoryName: string, imageDigest: string): Promise<{ digest: string; size: number }[]> => {
    const image = (await ecrClientFor(localEcr()).send(new BatchGetImageCommand({ repositoryName, imageIds: [{ imageDigest }] })))
      .images?.[0];
    const manifest = JSON.parse(image?.imageManifest ?? '{}') as {
      config?: { digest: string; size: number };
      layers?: { digest: string; size: number }[];
      manifests?: { digest: string }[];
    };
    const own = [...(manifest.config ? [manifest.config] : []), ...(manifest.layers ?? [])];
    const children = await Promise.all((manifest.manifests ?? []).map((child) => blobsOf(repositoryName, child.digest)));
    return [...own, ...children.flat()];
  };
  const uploads = async (repositoryName: string) =>
    (await localEcr().stats()).repositories[repositoryName] ?? { blobUploads: 0, bytesReceived: 0, manifestPuts: 0 };
  /** The precondition of most cases: the service built and pushed to dev. Returns the digest dev's latest points to. */
  const pushedToDev = async (): Promise<string> => {
    ws.commitAll('service');
    expect(await ws.build()).toMatchObject({ success: true });
    expect(await ws.push()).toMatchObject({ success: true });
    const digest = (await describeTag(devRepo(), 'latest'))?.imageDigest;
    if (!digest) throw new Error(`${devRepo()} has no latest tag after the first push`);
    return digest;
  };

  it('builds, creates the repository, pushes the content tag and moves latest onto the same digest', async () => {
    const sha = ws.commitAll('service');
    const build = await ws.build();
    expect(build).toMatchObject({ success: true });
    expect(ws.buildRecord().built).toBe(true);
    const push = await ws.push();
    timings.push(`first build ${build.seconds}s, push ${push.seconds}s`);
    expect(push).toMatchObject({ success: true });
    const record = ws.pushRecord();
    const contentTag = ws.buildRecord().contentTag;
    expect(record).toMatchObject({
      outcome: 'pushed',
      repositoryName: devRepo(),
      repositoryUri: `${localEcr().registryHost}/${devRepo()}`,
    });
    expect(record.tags).toEqual([contentTag, 'latest', sha]);
    const detail = await describeTag(devRepo(), 'latest');
    expect(detail?.imageDigest).toBe(record.digest);
    expect(detail?.imageTags?.sort()).toEqual([contentTag, 'latest', sha].sort());
    expect(record.sizeBytes).toBeGreaterThan(0);
    expect((await uploads(devRepo())).blobUploads).toBeGreaterThan(0);
    expect(push.logs.join('\n')).toContain(`${record.repositoryUri}@${record.digest}`);
  });

  it('ecr-push alone builds what it delivers, and never pushes a build record of other sources', async () => {
    ws.commitAll('service');
    expect(await ws.push()).toMatchObject({ success: true });
    expect(ws.pushRecord()).toMatchObject({ outcome: 'pushed', built: true });
    const first = ws.pushRecord();
    ws.write('apps/agent/app.txt', 'edited after the build\n');
    const refused = await ws.push('dev', { build: false });
    expect(refused.success).toBe(false);
    expect(refused.logs.filter((line) => line.startsWith('error'))).toEqual([
      expect.stringMatching(/with build: false found no build of its sources .*records content-\w+, a build of other sources/),
    ]);
    expect((await describeTag(devRepo(), 'latest'))?.imageDigest).toBe(first.digest);
    expect(await ws.push()).toMatchObject({ success: true });
    const second = ws.pushRecord();
    expect(second).toMatchObject({ outcome: 'pushed', built: true });
    expect(ws.buildRecord().contentTag).not.toBe(first.tags[0]);
    expect((await describeTag(devRepo(), 'latest'))?.imageTags).toContain(ws.buildRecord().contentTag);
  });

  it('unchanged content: docker-build does not build and ecr-push uploads no blob', async () => {
    const digest = await pushedToDev();
    await localEcr().resetStats();
    const build = await ws.build();
    expect(build).toMatchObject({ success: true });
    expect(ws.buildRecord()).toMatchObject({ built: false, existing: { digest, foundIn: 'target' } });
    const push = await ws.push();
    timings.push(`unchanged: build check ${build.seconds}s, push ${push.seconds}s`);
    expect(push).toMatchObject({ success: true });
    expect(ws.pushRecord()).toMatchObject({ outcome: 'skipped', digest });
    expect(await uploads(devRepo())).toMatchObject({ blobUploads: 0, manifestPuts: 0 });
  });

  it('a fresh engine (local images removed) still builds nothing and uploads nothing', async () => {
    const digest = await pushedToDev();
    ws.removeLocalImages();
    await localEcr().resetStats();
    const build = await ws.build();
    expect(ws.buildRecord().built).toBe(false);
    const push = await ws.push('dev', { tags: ['latest', 'stable'] });
    timings.push(`fresh engine: build check ${build.seconds}s, push ${push.seconds}s`);
    expect(push).toMatchObject({ success: true });
    expect(ws.pushRecord()).toMatchObject({ outcome: 'retagged', digest });
    expect((await describeTag(devRepo(), 'stable'))?.imageDigest).toBe(digest);
    expect((await uploads(devRepo())).blobUploads).toBe(0);
  });

  it('a source change builds and pushes a new content tag', async () => {
    await pushedToDev();
    const before = ws.buildRecord().contentTag;
    ws.write('apps/agent/app.txt', 'hello, changed\n');
    await localEcr().resetStats();
    const build = await ws.build();
    expect(ws.buildRecord()).toMatchObject({ built: true });
    expect(ws.buildRecord().contentTag).not.toBe(before);
    const push = await ws.push();
    timings.push(`changed: build ${build.seconds}s, push ${push.seconds}s`);
    expect(push).toMatchObject({ success: true });
    expect(ws.pushRecord().outcome).toBe('pushed');
    expect((await uploads(devRepo())).blobUploads).toBeGreaterThan(0);
    expect((await describeTag(devRepo(), 'latest'))?.imageDigest).toBe(ws.pushRecord().digest);
  });

  it('a dry run plans from the content tag: "promote" what dev holds, "would build" a change; builds and pushes nothing', async () => {
    await pushedToDev();
    await localEcr().resetStats();
    const promote = await ws.push('staging', { dryRun: true });
    expect(promote).toMatchObject({ success: true });
    expect(promote.logs.join('\n')).toMatch(/would be created[\s\S]*promote: copy e2e-dev-/);
    ws.write('apps/agent/app.txt', 'changed, never built\n');
    const build = await ws.push('dev', { dryRun: true });
    expect(build).toMatchObject({ success: true });
    const contentTag = /would build (\S+):(content-[0-9a-f]{24})/.exec(build.logs.join('\n'))?.[2];
    expect(contentTag).toBeDefined();
    expect(await describeTag(devRepo(), contentTag as string).catch(() => undefined)).toBeUndefined();
    expect(sh('docker', ['image', 'ls', '-q', `${ws.project}:${contentTag}`]).stdout.trim()).toBe('');
    expect((await localEcr().stats()).repositories[`e2e-staging-${ws.project}`]).toBeUndefined();
    expect(await uploads(devRepo())).toMatchObject({ blobUploads: 0, manifestPuts: 0 });
  });

  it('promotes to prod with BLOB_MOUNTING enabled: no build, same digest, every blob mounted, none uploaded', async () => {
    const devDigest = await pushedToDev();
    await setBlobMounting('ENABLED');
    try {
      await localEcr().resetStats();
      const build = await ws.build('prod');
      expect(ws.buildRecord()).toMatchObject({ built: false, existing: { foundIn: 'promote-from', digest: devDigest } });
      const push = await ws.push('prod');
      timings.push(`promote (mounts on): build check ${build.seconds}s, push ${push.seconds}s`);
      expect(push).toMatchObject({ success: true });
      const prodRepo = `e2e-prod-${ws.project}`;
      expect(ws.pushRecord()).toMatchObject({ outcome: 'promoted', repositoryName: prodRepo, digest: devDigest });
      expect((await describeTag(prodRepo, 'latest'))?.imageDigest).toBe(devDigest);
      expect(await uploads(prodRepo)).toMatchObject({ blobUploads: 0, bytesReceived: 0 });
      expect(push.logs.join('\n')).toContain(`${(await blobsOf(devRepo(), devDigest)).length} blob(s) mounted`);
    } finally {
      await setBlobMounting('DISABLED');
    }
  });

  it('promotes to staging with mounts off (ECR default): no build, same digest, every blob copied registry to registry', async () => {
    const devDigest = await pushedToDev();
    await localEcr().resetStats();
    const build = await ws.build('staging');
    expect(ws.buildRecord()).toMatchObject({ built: false, existing: { foundIn: 'promote-from', digest: devDigest } });
    const push = await ws.push('staging');
    timings.push(`promote (mounts off): build check ${build.seconds}s, push ${push.seconds}s`);
    expect(push).toMatchObject({ success: true });
    const stagingRepo = `e2e-staging-${ws.project}`;
    expect(ws.pushRecord()).toMatchObject({ outcome: 'promoted', repositoryName: stagingRepo, digest: devDigest });
    expect((await describeTag(stagingRepo, 'latest'))?.imageDigest).toBe(devDigest);
    const blobs = await blobsOf(devRepo(), devDigest);
    const bytes = blobs.reduce((sum, blob) => sum + blob.size, 0);
    expect(bytes).toBeGreaterThan(0);
    expect(await uploads(stagingRepo)).toMatchObject({ blobUploads: blobs.length, bytesReceived: bytes });
  });

  it('logs in again when the registry token expires mid-run, and the push succeeds', async () => {
    ws.write('apps/agent/app.txt', 'token expiry\n');
    expect(await ws.build()).toMatchObject({ success: true });
    let expired = false;
    const newSession = (options: ConstructorParameters<typeof DockerLoginSession>[0]) => {
      const session = new DockerLoginSession(options);
      const login = session.login.bind(session);
      session.login = async (registryId) => {
        const auth = await login(registryId);
        if (!expired) {
          expired = true;
          await localEcr().expireTokens(); // the token just handed out is now refused by the registry
        }
        return auth;
      };
      return session;
    };
    const push = await ws.push('dev', {}, { ...defaultDeps(), newScope: () => createRunScope({ newSession }) });
    expect(push).toMatchObject({ success: true });
    expect(expired).toBe(true);
    expect(push.logs.join('\n')).toContain('The registry rejected the token (expired?)');
    expect(ws.pushRecord().outcome).toBe('pushed');
  });
});
