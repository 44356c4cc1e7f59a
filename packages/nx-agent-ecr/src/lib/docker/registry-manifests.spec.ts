// Manifest lookups against a real HTTP registry in this process: anonymous Bearer tokens (as Docker Hub, ghcr.io,
// public.ecr.aws), Basic credentials (as ECR), indexes resolved per platform, and one-line failures.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseImageRef } from './image-ref';
import { manifestDigest, parseChallenge } from './registry-manifests';

const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const single = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { digest: 'sha256:c' },
});
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
    const [, , repo, , reference] = url.pathname.split('/');
    const bearer = repo === 'public';
    const authorized = bearer
      ? req.headers.authorization === 'Bearer tok-repository:public:pull'
      : req.headers.authorization === 'Basic QVdTOnB3';
    if (!authorized) {
      const challenge = bearer ? `Bearer realm="http://${host}/token",service="test"` : `Basic realm="ecr"`;
      return void res.writeHead(401, { 'www-authenticate': challenge }).end();
    }
    if (reference === 'multi') return void res.end(index);
    if (reference === 'one') return void res.end(single);
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

  it('answers a Basic challenge with the credentials for that registry (the ECR token)', async () => {
    await expect(manifestDigest(ref('private:one'), 'linux/arm64', ecrLike)).resolves.toBe(sha(single));
    expect(seen.at(-1)).toBe('GET /v2/private/manifests/one Basic QVdTOnB3');
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
    ['a platform the index lacks', 'public:multi', anonymous, /^it has no linux\/s390x image \(it has linux\/amd64, linux\/arm64\/v8\)$/],
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
