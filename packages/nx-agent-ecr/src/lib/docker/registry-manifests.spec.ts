// Manifest lookups against a real HTTP registry in this process: anonymous Bearer tokens (as Docker Hub, ghcr.io,
// public.ecr.aws), Basic credentials (as ECR), indexes resolved per platform, and one-line failures.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseImageRef } from './image-ref';
import { manifestDigest, parseChallenge, PlatformMismatchError } from './registry-manifests';

const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const single = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { digest: 'sha256:c' },
});
/** Single images whose config names a platform: one amd64 only, one arm64 (as ECR and Docker list arm64: variant v8). */
const configs: Record<string, object> = {
  'sha256:amd': { os: 'linux', architecture: 'amd64' },
  'sha256:arm': { os: 'linux', architecture: 'arm64', variant: 'v8' },
};
const onlyOn = (config: string) =>
  JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { digest: config } });
const armDigest = `sha256:${'a'.repeat(64)}`;
const index = JSON.stringify({
  schemaVersion: 2,
  manifests: [
    { digest: `sha256:${'b'.repeat(64)}`, platform: { os: 'linux', architecture: 'amd64' } },
    { digest: armDigest, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
  ],
});

let server: Server;
let host: string;
const seen: string[] = [];
beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(`${req.method} ${url.pathname} ${req.headers.authorization ?? '-'}`);
    if (url.pathname === '/token') return void res.end(JSON.stringify({ token: `tok-${url.searchParams.get('scope')}` }));
    const [, , repo, kind, reference = ''] = url.pathname.split('/');
    const bearer = repo === 'public';
    const authorized = bearer
      ? req.headers.authorization === 'Bearer tok-repository:public:pull'
      : req.headers.authorization === 'Basic QVdTOnB3';
    if (!authorized) {
      const challenge = bearer ? `Bearer realm="http://${host}/token",service="test"` : `Basic realm="ecr"`;
      return void res.writeHead(401, { 'www-authenticate': challenge }).end();
    }
    if (kind === 'blobs' && configs[reference]) return void res.end(JSON.stringify(configs[reference]));
    if (reference === 'multi') return void res.end(index);
    if (reference === 'one') return void res.end(single);
    if (reference === 'amd64-only') return void res.end(onlyOn('sha256:amd'));
    if (reference === 'arm64-only') return void res.end(onlyOn('sha256:arm'));
    res.writeHead(404).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise((resolve) => server.close(resolve)));
beforeEach(() => (seen.length = 0));

const ref = (text: string) => parseImageRef(`${host}/${text}`)!;
const anonymous = { credentials: async () => undefined };
const ecrLike = { credentials: async (_registry: string, scheme: string) => (scheme === 'basic' ? 'QVdTOnB3' : undefined) };

describe('manifestDigest', () => {
  it('follows the Bearer challenge anonymously and picks the platform from the index (arm64 matches its v8 entry)', async () => {
    await expect(manifestDigest(ref('public:multi'), 'linux/arm64', anonymous)).resolves.toBe(armDigest);
    expect(seen).toEqual([
      'GET /v2/public/manifests/multi -',
      'GET /token -',
      'GET /v2/public/manifests/multi Bearer tok-repository:public:pull',
    ]);
  });

  it('is the digest of the index itself for "any", and of a single manifest for any platform', async () => {
    await expect(manifestDigest(ref('public:multi'), 'any', anonymous)).resolves.toBe(sha(index));
    await expect(manifestDigest(ref('public:one'), 'linux/arm64', anonymous)).resolves.toBe(sha(single));
  });

  it("checks a single image's config: another platform is refused, the target's own passes; the manifest's token reads it", async () => {
    await expect(manifestDigest(ref('public:amd64-only'), 'linux/arm64', anonymous)).rejects.toThrow(
      new PlatformMismatchError('linux/amd64', 'linux/arm64'),
    );
    expect(seen.slice(-2)).toEqual([
      'GET /v2/public/manifests/amd64-only Bearer tok-repository:public:pull',
      'GET /v2/public/blobs/sha256:amd Bearer tok-repository:public:pull',
    ]);
    expect(seen.filter((line) => line.startsWith('GET /token'))).toHaveLength(1);
    await expect(manifestDigest(ref('private:arm64-only'), 'linux/arm64', ecrLike)).resolves.toBe(sha(onlyOn('sha256:arm')));
    expect(seen.at(-1)).toBe('GET /v2/private/blobs/sha256:arm Basic QVdTOnB3');
    // Built for any platform (a stage with its own --platform): no config read; a config it cannot read claims nothing.
    await expect(manifestDigest(ref('public:amd64-only'), 'any', anonymous)).resolves.toBe(sha(onlyOn('sha256:amd')));
    await expect(manifestDigest(ref('public:one'), 'linux/arm64', anonymous)).resolves.toBe(sha(single));
  });

  it('answers a Basic challenge with the credentials for that registry (the ECR token)', async () => {
    await expect(manifestDigest(ref('private:one'), 'linux/arm64', ecrLike)).resolves.toBe(sha(single));
    expect(seen).toEqual([
      'GET /v2/private/manifests/one -',
      'GET /v2/private/manifests/one Basic QVdTOnB3',
      // The single image's config, to check its platform (this registry has none to give: nothing is claimed).
      'GET /v2/private/blobs/sha256:c Basic QVdTOnB3',
    ]);
  });

  test.each([
    [
      'a missing tag',
      'public:gone',
      anonymous,
      /^the registry has no such image \(404 for http:\/\/127\.0\.0\.1:\d+\/v2\/public\/manifests\/gone\)$/,
    ],
    [
      'no credentials for a private registry',
      'private:one',
      anonymous,
      /^the registry refused access \(401\); credentials are missing or lack pull rights$/,
    ],
    [
      'a platform the index lacks',
      'public:multi',
      anonymous,
      /^has no linux\/s390x image \(its index has linux\/amd64, linux\/arm64\/v8\)$/,
    ],
  ])('says what is wrong in one line: %s', async (_name, text, deps, message) => {
    const platform = text === 'public:multi' ? 'linux/s390x' : 'linux/arm64';
    await expect(manifestDigest(ref(text), platform, deps)).rejects.toThrow(message);
  });

  it('names an unreachable registry', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(manifestDigest(parseImageRef(`127.0.0.1:${port}/x:1`)!, 'linux/arm64', anonymous)).rejects.toThrow(
      `http://127.0.0.1:${port}/v2/x/manifests/1 could not be reached (ECONNREFUSED)`,
    );
  });
});

describe('parseChallenge', () => {
  it('reads the scheme and the quoted parameters', () => {
    expect(
      parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull"'),
    ).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/python:pull' },
    });
  });
});
