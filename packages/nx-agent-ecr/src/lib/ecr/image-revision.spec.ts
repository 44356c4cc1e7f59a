// The commit an image in ECR was built from, read from its config's revision label through the registry API.
import { BatchGetImageCommand } from '@aws-sdk/client-ecr';
import { mockedEcr } from '../aws/test-support';
import { imageRevision } from './image-revision';

const auth = async () => ({ registryHost: 'reg', proxyEndpoint: 'https://reg', token: 'dG9rZW4=' });
const manifest = (config: string) => JSON.stringify({ schemaVersion: 2, config: { digest: config }, layers: [] });

function registry(blobs: Record<string, unknown>) {
  const requests: string[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    requests.push(`${init.method} ${url} ${(init.headers as Record<string, string>).authorization}`);
    const blob = blobs[url.split('/blobs/')[1] ?? ''];
    return new Response(blob === undefined ? 'not found' : JSON.stringify(blob), { status: blob === undefined ? 404 : 200 });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

describe('imageRevision', () => {
  it('reads org.opencontainers.image.revision from the image config, with the registry token', async () => {
    const { mock, ecr } = mockedEcr();
    mock.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: manifest('sha256:cfg') }] });
    const reg = registry({ 'sha256:cfg': { config: { Labels: { 'org.opencontainers.image.revision': 'abc' } } } });
    await expect(imageRevision(ecr, { auth, fetch: reg.fetch }, 'r', 'sha256:img')).resolves.toBe('abc');
    expect(reg.requests).toEqual(['GET https://reg/v2/r/blobs/sha256:cfg Basic dG9rZW4=']);
  });

  it('follows an index to its first image manifest, skipping attestations', async () => {
    const { mock, ecr } = mockedEcr();
    const index = JSON.stringify({
      manifests: [
        { digest: 'sha256:att', platform: { os: 'unknown', architecture: 'unknown' } },
        { digest: 'sha256:arm', platform: { os: 'linux', architecture: 'arm64' } },
      ],
    });
    mock.on(BatchGetImageCommand, { imageIds: [{ imageDigest: 'sha256:idx' }] }).resolves({ images: [{ imageManifest: index }] });
    mock
      .on(BatchGetImageCommand, { imageIds: [{ imageDigest: 'sha256:arm' }] })
      .resolves({ images: [{ imageManifest: manifest('sha256:c2') }] });
    const reg = registry({ 'sha256:c2': { config: { Labels: { 'org.opencontainers.image.revision': 'def' } } } });
    await expect(imageRevision(ecr, { auth, fetch: reg.fetch }, 'r', 'sha256:idx')).resolves.toBe('def');
  });

  it('is undefined for an image without the label or a config the registry does not serve', async () => {
    const { mock, ecr } = mockedEcr();
    mock.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: manifest('sha256:gone') }] });
    await expect(imageRevision(ecr, { auth, fetch: registry({}).fetch }, 'r', 'sha256:img')).resolves.toBeUndefined();
    const labelless = registry({ 'sha256:gone': { config: {} } });
    await expect(imageRevision(ecr, { auth, fetch: labelless.fetch }, 'r', 'sha256:img')).resolves.toBeUndefined();
  });
});
