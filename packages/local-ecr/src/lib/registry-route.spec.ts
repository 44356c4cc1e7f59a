import { registryOperation, registryRoute } from './registry-route';

describe('registryRoute', () => {
  test.each([
    ['/v2/', { kind: 'base' }],
    ['/v2', { kind: 'base' }],
    ['/v2/_catalog', { kind: 'catalog' }],
    ['/v2/app/manifests/latest', { kind: 'manifest', repository: 'app', reference: 'latest' }],
    ['/v2/team/app/manifests/sha256:abc', { kind: 'manifest', repository: 'team/app', reference: 'sha256:abc' }],
    ['/v2/a/b/c/blobs/sha256:abc', { kind: 'blob', repository: 'a/b/c', digest: 'sha256:abc' }],
    ['/v2/team/app/blobs/uploads/', { kind: 'upload', repository: 'team/app' }],
    ['/v2/team/app/blobs/uploads/5f3c-uuid', { kind: 'upload', repository: 'team/app', session: '5f3c-uuid' }],
    ['/v2/team/app/tags/list', { kind: 'tags', repository: 'team/app' }],
    ['/v2/blobs/blobs/sha256:abc', { kind: 'blob', repository: 'blobs', digest: 'sha256:abc' }],
    ['/v2/app/unknown', { kind: 'unknown' }],
    ['/v2/app/manifests/%E0%A4%A', { kind: 'unknown' }],
  ])('classifies %s', (path, expected) => {
    expect(registryRoute(path)).toEqual(expected);
  });
});

describe('registryOperation', () => {
  test.each([
    ['POST', '/v2/app/blobs/uploads/', 'registry:InitiateLayerUpload'],
    ['PATCH', '/v2/app/blobs/uploads/id', 'registry:UploadLayerPart'],
    ['PUT', '/v2/app/blobs/uploads/id', 'registry:CompleteLayerUpload'],
    ['GET', '/v2/app/blobs/uploads/id', undefined],
    ['PUT', '/v2/app/manifests/v1', 'registry:PutManifest'],
    ['HEAD', '/v2/app/manifests/v1', 'registry:GetManifest'],
    ['DELETE', '/v2/app/manifests/sha256:a', undefined],
    ['GET', '/v2/app/blobs/sha256:a', 'registry:GetLayer'],
    ['GET', '/v2/app/tags/list', 'registry:ListTags'],
    ['GET', '/v2/', undefined],
  ])('names %s %s %s', (method, path, operation) => {
    expect(registryOperation(registryRoute(path), method)).toBe(operation);
  });
});
