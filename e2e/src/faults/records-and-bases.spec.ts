// Fault suite, what a tag names: a stale build record (a build of other sources, a failed build), an immutable
// `latest`, base drift (the base tag repointed in its registry with no workspace change), and a base of another
// platform. After each: the tag names what the sources say, nothing is half-delivered, one error line when refused,
// and a re-run converges.
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { EcrPushExecutorSchema } from 'nx-agent-ecr/src/executors/ecr-push/schema';
import { buildRecordPath } from 'nx-agent-ecr/src/lib/records/build-record';
import { must } from '../support/docker';
import { ecrClientFor } from '../support/local-ecr';
import { baseRegistry } from '../support/toolchain';
import { devRepo, errorLines, expectConverged, expectSuccess, PushWorkspace, tagsIn, useFaultSuite } from './fault-harness';

describe('fault suite: records, immutability and base drift (real engine, local-ecr, the :5000 base registry)', () => {
  const localEcr = useFaultSuite();
  let ws: PushWorkspace;
  beforeEach(() => {
    ws = new PushWorkspace();
  });
  afterEach(() => ws.dispose());
  const uploads = async () => (await localEcr().stats()).repositories[devRepo(ws)]?.blobUploads ?? 0;

  it('a stale build (docker-build, then an edit): ecr-push never ships it — build: false refuses in one line, the default rebuilds', async () => {
    ws.commitAll('built');
    expectSuccess(await ws.build());
    const stale = ws.buildRecord().contentTag;
    ws.write('apps/agent/app.txt', 'edited after the build\n');
    const sha = ws.commitAll('edited');
    const refused = await ws.push('dev', { build: false });
    expect(refused.success).toBe(false);
    expect(errorLines(refused)).toEqual([expect.stringMatching(new RegExp(`records ${stale}, a build of other sources`))]);
    expect(await tagsIn(localEcr(), devRepo(ws))).toEqual({});
    const tags = await expectConverged(localEcr(), ws, sha);
    expect(ws.pushRecord().contentTag).not.toBe(stale);
    expect(tags[stale]).toBeUndefined();
    expect(ws.buildRecord().contentTag).toBe(ws.pushRecord().contentTag);
  });

  it('a failed build removes its record and the push records the failure; fixing the Dockerfile converges', async () => {
    ws.commitAll('first');
    expectSuccess(await ws.build());
    ws.write('apps/agent/Dockerfile', `FROM ${baseRegistry}/base/busybox:arm64\nCOPY app.txt /app/app.txt\nRUN exit 3\n`);
    ws.commitAll('broken');
    expect((await ws.build()).success).toBe(false);
    expect(existsSync(buildRecordPath(ws.root, 'apps/agent'))).toBe(false);
    const failed = await ws.push();
    expect(failed.success).toBe(false);
    // One line says what failed and where; BuildKit's own words follow it, indented, as the build's excerpt.
    const [line, ...excerpt] = errorLines(failed);
    expect(line).toMatch(/docker buildx build for \w+ failed with exit code 1 at .*RUN exit 3 \(the step exited 3\)/);
    expect(excerpt.every((more) => more.startsWith('error:   '))).toBe(true);
    expect(ws.pushRecord()).toMatchObject({ outcome: 'failed', movedTags: [] });
    expect(await tagsIn(localEcr(), devRepo(ws))).toEqual({});
    ws.write('apps/agent/Dockerfile', `FROM ${baseRegistry}/base/busybox:arm64\nCOPY app.txt /app/app.txt\n`);
    await expectConverged(localEcr(), ws, ws.commitAll('fixed'));
  });

  it('an IMMUTABLE repository with latest: the second delivery is refused before any build or upload, in one line', async () => {
    const first = ws.commitAll('first');
    expectSuccess(await ws.push('dev', { imageTagMutability: 'IMMUTABLE' }));
    const before = await tagsIn(localEcr(), devRepo(ws));
    ws.write('apps/agent/app.txt', 'second\n');
    ws.commitAll('second');
    const builtBefore = ws.buildRecord().contentTag;
    await localEcr().resetStats();
    const refused = await ws.push('dev', { imageTagMutability: 'IMMUTABLE' });
    expect(refused.success).toBe(false);
    expect(errorLines(refused)).toEqual([expect.stringMatching(/would move immutable tag\(s\) latest .*IMMUTABLE_WITH_EXCLUSION/)]);
    expect(ws.buildRecord().contentTag).toBe(builtBefore);
    expect(await uploads()).toBe(0);
    expect(await tagsIn(localEcr(), devRepo(ws))).toEqual(before);
    expect(before[first]).toBe(before['latest']);
  });

  it('IMMUTABLE_WITH_EXCLUSION with latest excluded: created so, latest moves, content and git-sha tags stay immutable', async () => {
    const options: EcrPushExecutorSchema = {
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: ['latest'],
    };
    ws.commitAll('first');
    expectSuccess(await ws.push('dev', options));
    const repository = (await ecrClientFor(localEcr()).send(new DescribeRepositoriesCommand({ repositoryNames: [devRepo(ws)] })))
      .repositories?.[0];
    expect(repository).toMatchObject({
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }],
    });
    ws.write('apps/agent/app.txt', 'second\n');
    const sha = ws.commitAll('second');
    expectSuccess(await ws.push('dev', options));
    const tags = await tagsIn(localEcr(), devRepo(ws));
    expect([tags['latest'], tags[sha]]).toEqual([ws.pushRecord().digest, ws.pushRecord().digest]);
  });

  it('base drift: the base tag repointed in its registry gives a new content tag, a rebuild on exactly the new digest, a new latest', async () => {
    const base = `${baseRegistry}/faults${process.pid}${Date.now().toString(36)}/base`;
    const first = await repointBase(base, 'first');
    ws.write('apps/agent/Dockerfile', `ARG BASE=${base}:1\nFROM \${BASE}\nCOPY app.txt /app/app.txt\n`);
    const sha = ws.commitAll('on a moving base');
    expectSuccess(await ws.push());
    const before = ws.pushRecord();
    expect(ws.buildRecord().baseImages).toEqual([{ ref: `${base}:1`, platform: 'linux/arm64', digest: first }]);
    expect(label(ws.buildRecord().localTags[0] ?? '')).toBe('first');
    // The same sources, the base repointed (a patched base): no workspace change at all.
    const second = await repointBase(base, 'second');
    const rebuilt = await ws.push();
    expectSuccess(rebuilt);
    const after = ws.pushRecord();
    expect(after.contentTag).not.toBe(before.contentTag);
    expect(after).toMatchObject({ outcome: 'pushed', built: true });
    expect(ws.buildRecord().baseImages).toEqual([{ ref: `${base}:1`, platform: 'linux/arm64', digest: second }]);
    expect(label(ws.buildRecord().localTags[0] ?? '')).toBe('second');
    const tags = await tagsIn(localEcr(), devRepo(ws));
    expect([tags['latest'], tags[sha], tags[after.contentTag ?? '']]).toEqual([after.digest, after.digest, after.digest]);
    // Unchanged base, unchanged sources: nothing to build, nothing uploaded.
    await localEcr().resetStats();
    expectSuccess(await ws.push());
    expect(ws.pushRecord()).toMatchObject({ contentTag: after.contentTag, built: false });
    expect(await uploads()).toBe(0);
  });

  it('a base that is one image of another platform (no index): refused before any build or upload in one line; an arm64 one converges', async () => {
    const base = `${baseRegistry}/faults${process.pid}${Date.now().toString(36)}/single`;
    // The busybox layers under a config that says linux/amd64: what a single-platform amd64 image looks like to a build.
    await repointBase(base, 'amd64 only', 'amd64');
    ws.write('apps/agent/Dockerfile', `FROM ${base}:1\nCOPY app.txt /app/app.txt\n`);
    const sha = ws.commitAll('on an amd64-only base');
    await localEcr().resetStats();
    const refused = await ws.push();
    expect(refused.success).toBe(false);
    expect(errorLines(refused)).toEqual([
      expect.stringContaining(
        `Base image ${base}:1 (FROM in apps/agent/Dockerfile) is one linux/amd64 image (not an index), so it cannot be the base of a linux/arm64 build`,
      ),
    ]);
    expect(existsSync(buildRecordPath(ws.root, 'apps/agent'))).toBe(false);
    expect(await uploads()).toBe(0);
    expect(await tagsIn(localEcr(), devRepo(ws))).toEqual({});
    expect(ws.pushRecord()).toMatchObject({ outcome: 'failed' });
    await repointBase(base, 'arm64 now');
    await expectConverged(localEcr(), ws, sha);
  });

  it('a base pinned by digest to one image of another platform: refused the same way; pinned to an arm64 image, it converges', async () => {
    const base = `${baseRegistry}/faults${process.pid}${Date.now().toString(36)}/pinned`;
    // A digest names its content for good, but not a platform: the pin is checked like a tag would be.
    const amd64 = await repointBase(base, 'amd64 pinned', 'amd64');
    ws.write('apps/agent/Dockerfile', `FROM ${base}:1@${amd64}\nCOPY app.txt /app/app.txt\n`);
    ws.commitAll('pinned to an amd64-only image');
    await localEcr().resetStats();
    const refused = await ws.push();
    expect(refused.success).toBe(false);
    expect(errorLines(refused)).toEqual([
      `error: Base image ${base}:1@${amd64} (FROM in apps/agent/Dockerfile) is one linux/amd64 image (not an index), so it cannot be ` +
        `the base of a linux/arm64 build: pin the digest of its linux/arm64 image, or of an index that has one ` +
        `(docker buildx imagetools inspect ${base}:1 lists them).`,
    ]);
    expect(existsSync(buildRecordPath(ws.root, 'apps/agent'))).toBe(false);
    expect(await uploads()).toBe(0);
    expect(await tagsIn(localEcr(), devRepo(ws))).toEqual({});
    expect(ws.pushRecord()).toMatchObject({ outcome: 'failed' });
    const arm64 = await repointBase(base, 'arm64 pinned');
    ws.write('apps/agent/Dockerfile', `FROM ${base}:1@${arm64}\nCOPY app.txt /app/app.txt\n`);
    await expectConverged(localEcr(), ws, ws.commitAll('pinned to an arm64 image'));
    // The pin is hashed and built as written.
    expect(ws.buildRecord().baseImages).toEqual([{ ref: `${base}:1@${arm64}`, platform: 'linux/arm64', digest: arm64 }]);
  });
});

/** The label the base images of the drift case carry, as the built image inherits it. */
const label = (image: string) =>
  must('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "fault-suite.base"}}', image]).trim();

/**
 * Points `<repository>:1` in the :5000 registry at a copy of the busybox base whose config carries the label
 * fault-suite.base=<seed> (and, given one, another `architecture`): a new config blob, the same layers mounted,
 * through the registry API; returns its digest.
 */
async function repointBase(repository: string, seed: string, architecture?: string): Promise<string> {
  const registry = `http://${baseRegistry}`;
  const repo = repository.slice(baseRegistry.length + 1);
  const accept = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';
  const manifest = (await (await fetch(`${registry}/v2/base/busybox/manifests/arm64`, { headers: { accept } })).json()) as {
    mediaType: string;
    config: { digest: string; size: number; mediaType: string };
    layers: { digest: string }[];
  };
  const config = (await (await fetch(`${registry}/v2/base/busybox/blobs/${manifest.config.digest}`)).json()) as {
    architecture?: string;
    config?: { Labels?: Record<string, string> };
  };
  config.config = { ...config.config, Labels: { ...config.config?.Labels, 'fault-suite.base': seed } };
  if (architecture) config.architecture = architecture;
  const bytes = Buffer.from(JSON.stringify(config));
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const upload = await fetch(`${registry}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(upload.headers.get('location') ?? '', registry);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`uploading the base config answered ${put.status}`);
  for (const layer of manifest.layers) {
    const mounted = await fetch(`${registry}/v2/${repo}/blobs/uploads/?mount=${layer.digest}&from=base/busybox`, { method: 'POST' });
    if (mounted.status !== 201) throw new Error(`mounting ${layer.digest} answered ${mounted.status}`);
  }
  const body = JSON.stringify({ ...manifest, config: { ...manifest.config, digest, size: bytes.length } });
  const stored = await fetch(`${registry}/v2/${repo}/manifests/1`, {
    method: 'PUT',
    body,
    headers: { 'content-type': manifest.mediaType },
  });
  if (stored.status !== 201) throw new Error(`putting the base manifest answered ${stored.status}: ${await stored.text()}`);
  return stored.headers.get('docker-content-digest') ?? '';
}
