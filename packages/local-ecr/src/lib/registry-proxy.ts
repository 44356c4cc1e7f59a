// The registry endpoint: ECR's rules (auth, existing repositories, immutable tags) in front of the real registry.
import { request, Agent, type IncomingMessage, type ServerResponse, type OutgoingHttpHeaders } from 'node:http';
import { blobMountingEnabled } from './account-settings';
import { type ServerContext, persist } from './context';
import { RegistryError } from './errors';
import { immutableTagRefusal, recordManifest } from './image-book';
import { sha256Digest } from './manifest';
import { registryAuthRefusal } from './registry-auth';
import { registryRoute, type RegistryRoute } from './registry-route';
import { forgetImage, type RepositoryRecord } from './state';

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'upgrade', 'authorization'];
/** ECR's limit on a manifest's size. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export function sendRegistryError(res: ServerResponse, error: RegistryError, headers: Record<string, string> = {}): void {
  res.writeHead(error.status, {
    'content-type': 'application/json; charset=utf-8',
    'docker-distribution-api-version': 'registry/2.0',
    ...headers,
  });
  res.end(error.body());
}

function withoutHeaders(headers: IncomingMessage['headers'], names: readonly string[]): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
}

function forwardHeaders(req: IncomingMessage, context: ServerContext): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = withoutHeaders(req.headers, HOP_BY_HOP);
  // The registry builds absolute Location URLs from Host: keeping ours makes them point at local-ecr.
  headers['host'] = context.host;
  return headers;
}

function outerLocation(location: string, context: ServerContext): string {
  return location.startsWith(context.inner.origin) ? `http://${context.host}${location.slice(context.inner.origin.length)}` : location;
}

interface Forwarded {
  status: number;
  headers: IncomingMessage['headers'];
}

/** Streams a request to the inner registry and its answer back; `body` replaces the request stream when given. */
function forward(
  context: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  body?: Buffer,
  path = req.url ?? '/',
): Promise<Forwarded> {
  return new Promise((resolve, reject) => {
    const headers = forwardHeaders(req, context);
    if (body) headers['content-length'] = String(body.length);
    const inner = request(`${context.inner.origin}${path}`, { method: req.method, headers, agent }, (answer) => {
      const outHeaders = withoutHeaders(answer.headers, ['connection', 'keep-alive']);
      if (typeof outHeaders.location === 'string') outHeaders.location = outerLocation(outHeaders.location, context);
      res.writeHead(answer.statusCode ?? 502, outHeaders);
      answer.pipe(res);
      answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers }));
      answer.on('error', reject);
    });
    inner.on('error', reject);
    if (body) inner.end(body);
    else req.pipe(inner);
  });
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new RegistryError(400, 'MANIFEST_INVALID', `manifest invalid: the manifest is larger than ${limit} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function putManifest(
  context: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  repository: RepositoryRecord,
  route: Extract<RegistryRoute, { kind: 'manifest' }>,
) {
  const body = await readBody(req, MAX_MANIFEST_BYTES);
  const isTag = !route.reference.includes(':');
  const refusal = isTag ? immutableTagRefusal(context, repository, route.reference) : undefined;
  if (refusal) return sendRegistryError(res, new RegistryError(400, 'TAG_INVALID', refusal));
  const answer = await forward(context, req, res, body);
  if (answer.status !== 201) return;
  const digest = String(answer.headers['docker-content-digest'] ?? sha256Digest(body));
  recordManifest(context, route.repository, route.reference, body.toString('utf8'), digest, req.headers['content-type']);
}

function withoutMount(url: URL): string {
  const query = new URLSearchParams(url.searchParams);
  query.delete('mount');
  query.delete('from');
  const rest = query.toString();
  return `${url.pathname}${rest ? `?${rest}` : ''}`;
}

async function upload(context: ServerContext, req: IncomingMessage, res: ServerResponse, repository: string, url: URL) {
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  // ECR mounts blobs across repositories only when the account setting BLOB_MOUNTING is ENABLED (off by default);
  // otherwise a mount request starts an ordinary upload, the distribution spec's fallback, and the layers move.
  const mountAsked = req.method === 'POST' && url.searchParams.has('mount');
  const mountRefused = mountAsked && !(blobMountingEnabled(context) && context.state.repositories[url.searchParams.get('from') ?? '']);
  const path = mountRefused ? withoutMount(url) : undefined;
  const answer = await forward(context, req, res, undefined, path);
  const mounted = mountAsked && !mountRefused && answer.status === 201;
  const completed = !mounted && answer.status === 201 && (req.method === 'PUT' || req.method === 'POST');
  context.stats.add(repository, { bytesReceived: bytes, blobUploads: completed ? 1 : 0 });
}

/** Serves one /v2/ request. */
export async function handleRegistry(context: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const refusal = registryAuthRefusal(context, req.headers.authorization);
  if (refusal) {
    req.resume();
    return sendRegistryError(res, refusal.error, refusal.headers);
  }
  const route = registryRoute(url.pathname);
  const repository = 'repository' in route ? context.state.repositories[route.repository] : undefined;
  if ('repository' in route && !repository) {
    req.resume();
    return sendRegistryError(
      res,
      new RegistryError(
        404,
        'NAME_UNKNOWN',
        `The repository with name '${route.repository}' does not exist in the registry with id '${context.accountId}'`,
      ),
    );
  }
  if (route.kind === 'manifest' && req.method === 'PUT' && repository) return putManifest(context, req, res, repository, route);
  if (route.kind === 'upload') return upload(context, req, res, route.repository, url);
  const answer = await forward(context, req, res);
  if (route.kind === 'manifest' && req.method === 'DELETE' && answer.status === 202) {
    forgetImage(context.state, route.repository, route.reference);
    persist(context);
  }
}
