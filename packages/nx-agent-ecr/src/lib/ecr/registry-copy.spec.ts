// Promotion copy against a tiny in-process registry: mount when allowed, stream when not, digest preserved.
import { BatchGetImageCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import 'aws-sdk-client-mock-jest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockedEcr } from '../aws/test-support';
import { copyImage, manifestReferences } from './registry-copy';
import { isExpiredTokenBody } from './registry-http';

const layer = { digest: 'sha256:layer', size: 5, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' };
const cfg = { digest: 'sha256:config', size: 3, mediaType: 'application/vnd.docker.container.image.v1+json' };
const manifest = JSON.stringify({ schemaVersion: 2, config: cfg, layers: [layer] });
const index = JSON.stringify({ schemaVersion: 2, manifests: [{ digest: 'sha256:child', size: 10 }] });

interface FakeRegistry {
  server: Server;
  endpoint: string;
  log: string[];
  blobs: Map<string, string>;
  allowMount: boolean;
  rejectFirstAuth: boolean;
  /** The next request of this method is answered as ECR answers an expired token: 403 DENIED (no body to a HEAD). */
  expireNext?: string;
  /** Every 403 is DENIED for a reason other than expiry (e.g. a missing IAM permission). */
  denyAll: boolean;
}

const EXPIRED_BODY = JSON.stringify({
  errors: [{ code: 'DENIED', message: 'Your authorization token has expired. Reauthenticate and try again.' }],
});

async function registry(token = 'dG9rZW4='): Promise<FakeRegistry> {
  const state = {
    log: [] as string[],
    blobs: new Map([
      ['dev/sha256:layer', 'LAYER'],
      ['dev/sha256:config', 'CFG'],
    ]),
    allowMount: true,
    rejectFirstAuth: false,
    expireNext: undefined as string | undefined,
    denyAll: false,
  };
  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => resolve(text));
    });
  const uploads = new Map<string, string>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    state.log.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization !== `Basic ${token}` || state.rejectFirstAuth) {
      state.rejectFirstAuth = false;
      res.writeHead(401).end();
      return;
    }
    if (state.expireNext === req.method) {
      state.expireNext = undefined;
      return void res.writeHead(403, { 'content-type': 'application/json' }).end(EXPIRED_BODY);
    }
    if (state.denyAll) {
      const denied = JSON.stringify({
        errors: [{ code: 'DENIED', message: 'User is not authorized to perform: ecr:InitiateLayerUpload' }],
      });
      return void res.writeHead(403, { 'content-type': 'application/json' }).end(denied);
    }
    const blob = url.pathname.match(/^\/v2\/(.+)\/blobs\/(sha256:\w+)$/);
    if (blob && req.method === 'HEAD') return void res.writeHead(state.blobs.has(`${blob[1]}/${blob[2]}`) ? 200 : 404).end();
    if (blob && req.method === 'GET') return void res.writeHead(200).end(state.blobs.get(`${blob[1]}/${blob[2]}`));
    const start = url.pathname.match(/^\/v2\/(.+)\/blobs\/uploads\/$/);
    if (start && req.method === 'POST') {
      const from = url.searchParams.get('from');
      const digest = url.searchParams.get('mount') ?? '';
      if (state.allowMount && state.blobs.has(`${from}/${digest}`)) {
        state.blobs.set(`${start[1]}/${digest}`, state.blobs.get(`${from}/${digest}`) ?? '');
        return void res.writeHead(201).end();
      }
      return void res.writeHead(202, { location: `/v2/${start[1]}/blobs/uploads/u1` }).end();
    }
    const upload = url.pathname.match(/^\/v2\/(.+)\/blobs\/uploads\/u1$/);
    if (upload && req.method === 'PATCH') {
      uploads.set('u1', await body(req));
      return void res.writeHead(202, { location: `/v2/${upload[1]}/blobs/uploads/u1?state=2` }).end();
    }
    if (upload && req.method === 'PUT') {
      state.blobs.set(`${upload[1]}/${url.searchParams.get('digest')}`, uploads.get('u1') ?? '');
      return void res.writeHead(201).end();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, { server, endpoint });
}

let reg: FakeRegistry;
beforeEach(async () => (reg = await registry()));
afterEach(() => reg.server.close());

function deps() {
  const { mock, ecr } = mockedEcr();
  mock.on(PutImageCommand).resolves({});
  const tokens: boolean[] = [];
  const auth = async (fresh?: boolean) => {
    tokens.push(fresh ?? false);
    return { registryHost: 'h', proxyEndpoint: reg.endpoint, token: 'dG9rZW4=' };
  };
  return { mock, ecr, auth, tokens };
}

describe('manifestReferences', () => {
  it('lists config and layers of an image, or the children of an index', () => {
    expect(manifestReferences(manifest)).toEqual({ blobs: [cfg, layer], children: [] });
    expect(manifestReferences(index)).toEqual({ blobs: [], children: [{ digest: 'sha256:child', size: 10 }] });
  });
});

describe('copyImage', () => {
  it('mounts every blob across repositories and puts the identical manifest with the content tag', async () => {
    const d = deps();
    d.mock
      .on(BatchGetImageCommand)
      .resolves({ images: [{ imageManifest: manifest, imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json' }] });
    const result = await copyImage(d, { repositoryName: 'dev', digest: 'sha256:img' }, { repositoryName: 'prod', tag: 'content-1' });
    expect(result).toEqual({ digest: 'sha256:img', mountedBlobs: 2, copiedBlobs: 0, presentBlobs: 0, copiedBytes: 0 });
    expect(reg.log).toContain('POST /v2/prod/blobs/uploads/?mount=sha256:layer&from=dev');
    expect(reg.log.some((l) => l.startsWith('GET'))).toBe(false);
    expect(d.mock).toHaveReceivedCommandWith(PutImageCommand, {
      repositoryName: 'prod',
      imageManifest: manifest,
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      imageDigest: 'sha256:img',
      imageTag: 'content-1',
    });
  });

  it('streams blobs across when the registry refuses the mount, and skips blobs already present', async () => {
    const d = deps();
    reg.allowMount = false;
    reg.blobs.set('prod/sha256:config', 'CFG');
    d.mock.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: manifest }] });
    const result = await copyImage(d, { repositoryName: 'dev', digest: 'sha256:img' }, { repositoryName: 'prod', tag: 'content-1' });
    expect(result).toMatchObject({ mountedBlobs: 0, presentBlobs: 1, copiedBlobs: 1, copiedBytes: 5 });
    expect(reg.blobs.get('prod/sha256:layer')).toBe('LAYER');
    expect(reg.log).toContain('PUT /v2/prod/blobs/uploads/u1?state=2&digest=sha256%3Alayer');
  });

  it('copies the child manifests of a multi-platform index before the index itself', async () => {
    const d = deps();
    d.mock.on(BatchGetImageCommand, { imageIds: [{ imageDigest: 'sha256:idx' }] }).resolves({ images: [{ imageManifest: index }] });
    d.mock.on(BatchGetImageCommand, { imageIds: [{ imageDigest: 'sha256:child' }] }).resolves({ images: [{ imageManifest: manifest }] });
    await copyImage(d, { repositoryName: 'dev', digest: 'sha256:idx' }, { repositoryName: 'prod', tag: 'content-1' });
    const puts = d.mock.commandCalls(PutImageCommand).map((c) => [c.args[0].input.imageDigest, c.args[0].input.imageTag]);
    expect(puts).toEqual([
      ['sha256:child', undefined],
      ['sha256:idx', 'content-1'],
    ]);
  });

  it('asks for a fresh token once when the registry answers 401', async () => {
    const d = deps();
    reg.rejectFirstAuth = true;
    d.mock.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: manifest }] });
    await copyImage(d, { repositoryName: 'dev', digest: 'sha256:img' }, { repositoryName: 'prod', tag: 'content-1' });
    expect(d.tokens.filter(Boolean)).toHaveLength(1);
  });

  it('logs in again once and retries when the registry answers 403 DENIED "token has expired" (as ECR does)', async () => {
    const d = deps();
    reg.allowMount = false;
    d.mock.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: manifest }] });
    reg.expireNext = 'POST';
    const result = await copyImage(d, { repositoryName: 'dev', digest: 'sha256:img' }, { repositoryName: 'prod', tag: 'content-1' });
    expect(d.tokens.filter(Boolean)).toHaveLength(1);
    expect(result).toMatchObject({ copiedBlobs: 2, copiedBytes: 8 });
    expect(reg.log.filter((l) => l.startsWith('POST /v2/prod/blobs/uploads/?mount=sha256:config'))).toHaveLength(2);
  });

  it('a 403 to a HEAD (no body to say why) also gets one fresh token and a retry', async () => {
    const d = deps();
    reg.expireNext = 'HEAD';
    d.mock.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: manifest }] });
    const result = await copyImage(d, { repositoryName: 'dev', digest: 'sha256:img' }, { repositoryName: 'prod', tag: 'content-1' });
    expect(d.tokens.filter(Boolean)).toHaveLength(1);
    expect(result).toMatchObject({ mountedBlobs: 2 });
    expect(reg.log.filter((l) => l === 'HEAD /v2/prod/blobs/sha256:config')).toHaveLength(2);
  });

  it('a 403 DENIED for another reason is not retried: one error naming the step and the status', async () => {
    const d = deps();
    reg.denyAll = true;
    d.mock.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: manifest }] });
    await expect(
      copyImage(d, { repositoryName: 'dev', digest: 'sha256:img' }, { repositoryName: 'prod', tag: 'content-1' }),
    ).rejects.toThrow('Registry refused to start an upload in prod: HTTP 403');
    // Only the body-less HEAD (which cannot say why) earned a re-login; the POST's DENIED body said "not expired".
    expect(d.tokens.filter(Boolean)).toHaveLength(1);
  });
});

describe('isExpiredTokenBody', () => {
  test.each([
    [EXPIRED_BODY, true],
    [JSON.stringify({ errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] }), false],
    [JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'token expired' }] }), false],
    ['null', false],
    ['<html>403 Forbidden</html>', false],
    ['', false],
  ])('%s → %s', (body, expected) => {
    expect(isExpiredTokenBody(body)).toBe(expected);
  });

  it('from another registry (account or region): never mounts, streams every blob with each side its own login, digest kept', async () => {
    const d = deps();
    const src = await registry('c291cmNl');
    try {
      reg.blobs.clear();
      const source = mockedEcr();
      source.mock.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: manifest }] });
      const sourceAuth = async () => ({ registryHost: 'src', proxyEndpoint: src.endpoint, token: 'c291cmNl' });
      const result = await copyImage(
        { ...d, source: { ecr: source.ecr, registryId: '111111111111', auth: sourceAuth } },
        { repositoryName: 'dev', digest: 'sha256:img' },
        { repositoryName: 'prod', tag: 'content-1' },
      );
      expect(result).toEqual({ digest: 'sha256:img', mountedBlobs: 0, copiedBlobs: 2, presentBlobs: 0, copiedBytes: 8 });
      expect(reg.log.filter((l) => l.includes('mount='))).toEqual([]);
      expect(reg.log).toContain('POST /v2/prod/blobs/uploads/');
      expect(src.log).toEqual(['GET /v2/dev/blobs/sha256:config', 'GET /v2/dev/blobs/sha256:layer']);
      expect(reg.blobs.get('prod/sha256:layer')).toBe('LAYER');
      expect(source.mock).toHaveReceivedCommandWith(BatchGetImageCommand, { repositoryName: 'dev', registryId: '111111111111' });
      expect(d.mock).not.toHaveReceivedCommand(BatchGetImageCommand);
      expect(d.mock).toHaveReceivedCommandWith(PutImageCommand, {
        repositoryName: 'prod',
        imageManifest: manifest,
        imageDigest: 'sha256:img',
      });
    } finally {
      src.server.close();
    }
  });
});
