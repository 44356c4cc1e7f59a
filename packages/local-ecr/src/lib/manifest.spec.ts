import { manifestFacts, MEDIA_TYPES, sha256Digest } from './manifest';

describe('manifestFacts', () => {
  it('sizes an image manifest as config plus layers (ECR imageSizeInBytes) and reads the config media type', () => {
    const body = JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.dockerManifest,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 100, digest: 'sha256:c' },
      layers: [
        { size: 1000, digest: 'sha256:l1' },
        { size: 24, digest: 'sha256:l2' },
      ],
    });
    expect(manifestFacts(body)).toEqual({
      mediaType: MEDIA_TYPES.dockerManifest,
      artifactMediaType: 'application/vnd.docker.container.image.v1+json',
      ownSize: 1124,
      children: [],
      isIndex: false,
    });
  });

  it('lists the children of an index and takes the media type from Content-Type when the document has none', () => {
    const body = JSON.stringify({
      schemaVersion: 2,
      manifests: [
        { digest: 'sha256:a', size: 5 },
        { digest: 'sha256:b', size: 6 },
      ],
    });
    expect(manifestFacts(body, `${MEDIA_TYPES.ociIndex}; charset=utf-8`)).toMatchObject({
      mediaType: MEDIA_TYPES.ociIndex,
      children: ['sha256:a', 'sha256:b'],
      isIndex: true,
      ownSize: 0,
    });
  });

  it('refuses something that is not JSON', () => {
    expect(() => manifestFacts('not json')).toThrow();
  });

  it('digests the exact bytes', () => {
    expect(sha256Digest('')).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
