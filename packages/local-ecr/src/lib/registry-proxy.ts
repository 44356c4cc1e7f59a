// The registry endpoint: ECR's rules (auth, existing repositories, valid names, immutable tags, fault hooks) in
// front of the real registry, which only this proxy can reach (Unix socket).
import { request, type IncomingMessage, type ServerResponse, type OutgoingHttpHeaders } from 'node:http';
import { blobMountingEnabled } from './account-settings';
import { type ServerContext, persist } from './context';
import { RegistryError } from './errors';
import { registryFaultAnswer } from './fault-answers';
import { applyFaultBefore, crashNow, resetConnection } from './fault-http';
import { combine, type FaultEffect } from './faults';
import { immutableTagRefusal, recordManifest } from './image-book';
import { innerAgent, innerRequest } from './inner-http';
import { sha256Digest } from './manifest';
import { DIGEST_PATTERN, repositoryNameProblem, TAG_PATTERN } from './naming';
import { registryAuthRefusal } from './registry-auth';
import { REGISTRY_OPERATIONS, registryOperation, registryRoute, type RegistryRoute } from './registry-route';
import { forgetImage, type RepositoryRecord } from './state';

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
  'authorization',
  'host',
];
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

function forwardHeaders(headers: IncomingMessage['headers'], context: ServerContext): OutgoingHttpHeaders {
  const kept: OutgoingHttpHeaders = Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.includes(name)));
  // The registry builds absolute Location URLs from Host: ours makes them point at local-ecr.
  return { ...kept, host: context.host };
}

/** Streams a request to the inner registry and its answer back; `resetAfterBytes` cuts the client off mid-body. */
function forward(
  context: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  resetAfterBytes?: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const inner = request(
      { socketPath: context.inner.socketPath, path, method: req.method, headers: forwardHeaders(req.headers, context), agent: innerAgent },
      (answer) => {
        res.writeHead(
          answer.statusCode ?? 502,
          Object.fromEntries(Object.entries(answer.headers).filter(([name]) => name !== 'connection' && name !== 'keep-alive')),
        );
        answer.pipe(res);
        answer.on('end', () => resolve(answer.statusCode ?? 502));
        answer.on('error', reject);
      },
    );
    inner.on('error', reject);
    if (resetAfterBytes === undefined) return void req.pipe(inner);
    let seen = 0;
    const cut = () => {
      inner.destroy();
      resetConnection(req);
      resolve(0);
    };
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen >= resetAfterBytes) cut();
      else inner.write(chunk);
    });
    req.on('end', cut);
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

/**
 * A manifest PUT: checked, stored and recorded under the repository's lock, and answered only once the
 * bookkeeping is on disk, so a client that reads right after its push sees what it pushed.
 */
async function putManifest(
  context: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  repository: RepositoryRecord,
  reference: string,
  effect: FaultEffect,
) {
  const body = await readBody(req, MAX_MANIFEST_BYTES);
  await context.repositoryLocks.run(repository.name, async () => {
    if (!context.state.repositories.has(repository.name)) throw notFound(context, repository.name);
    const refusal = reference.includes(':') ? undefined : immutableTagRefusal(context, repository, reference);
    if (refusal) throw new RegistryError(400, 'TAG_INVALID', refusal);
    const headers = { ...forwardHeaders(req.headers, context), 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const answer = await innerRequest(context.inner.socketPath, 'PUT', path, headers, body);
    if (answer.status === 201) {
      if (effect.crashAfterStore) crashNow();
      const digest = String(answer.headers['docker-content-digest'] ?? sha256Digest(body));
      const stored = {
        repository: repository.name,
        reference,
        body: body.toString('utf8'),
        digest,
        contentType: req.headers['content-type'],
      };
      await recordManifest(context, stored, effect.hideTagMs);
    }
    const answerHeaders = Object.fromEntries(
      Object.entries(answer.headers).filter(([name]) => !['connection', 'keep-alive', 'transfer-encoding'].includes(name)),
    );
    res.writeHead(answer.status, { ...answerHeaders, 'content-length': answer.body.length });
    res.end(answer.body);
  });
}

function withoutMount(url: URL): string {
  const query = new URLSearchParams(url.searchParams);
  query.delete('mount');
  query.delete('from');
  const rest = query.toString();
  return `${url.pathname}${rest ? `?${rest}` : ''}`;
}

async function upload(
  context: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  repository: string,
  url: URL,
  effect: FaultEffect,
) {
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  // ECR mounts blobs across repositories only when the account setting BLOB_MOUNTING is ENABLED (off by default);
  // otherwise a mount request starts an ordinary upload, the distribution spec's fallback, and the layers move.
  const mountAsked = req.method === 'POST' && url.searchParams.has('mount');
  const mountRefused = mountAsked && !(blobMountingEnabled(context) && context.state.repositories.has(url.searchParams.get('from') ?? ''));
  const status = await forward(
    context,
    req,
    res,
    mountRefused ? withoutMount(url) : `${url.pathname}${url.search}`,
    effect.resetAfterBytes,
  );
  const mounted = mountAsked && !mountRefused && status === 201;
  const completed = !mounted && status === 201 && (req.method === 'PUT' || req.method === 'POST');
  context.stats.add(repository, { bytesReceived: bytes, blobUploads: completed ? 1 : 0 });
}

const notFound = (context: ServerContext, name: string) =>
  new RegistryError(
    404,
    'NAME_UNKNOWN',
    `The repository with name '${name}' does not exist in the registry with id '${context.accountId}'`,
  );

/** The repository a route names, or the registry error ECR answers for it. */
function repositoryOf(context: ServerContext, route: RegistryRoute): RepositoryRecord | undefined {
  if (!('repository' in route)) return undefined;
  const problem = repositoryNameProblem(route.repository);
  // ECR answers a name that cannot exist like one that does not (404 NAME_UNKNOWN, which clients do not retry).
  if (problem) throw new RegistryError(404, 'NAME_UNKNOWN', `The repository with name '${route.repository}' does not exist: ${problem}`);
  const repository = context.state.repositories.get(route.repository);
  if (!repository) throw notFound(context, route.repository);
  if (route.kind === 'manifest' && !TAG_PATTERN.test(route.reference) && !DIGEST_PATTERN.test(route.reference)) {
    throw new RegistryError(400, 'TAG_INVALID', `invalid tag or digest: '${route.reference}'`);
  }
  return repository;
}

/** Serves one /v2/ request. The path forwarded is the one checked (URL-normalised), never the raw request line. */
export async function handleRegistry(context: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const refusal = registryAuthRefusal(context, req.headers.authorization);
  if (refusal) {
    req.resume();
    return sendRegistryError(res, refusal.error, refusal.headers);
  }
  const route = registryRoute(url.pathname);
  const repository = repositoryOf(context, route);
  const operation = registryOperation(route, req.method ?? 'GET');
  const effect = combine(operation ? context.faults.onCall(operation, repository?.name) : []);
  const where = {
    accountId: context.accountId,
    region: context.region,
    action: REGISTRY_OPERATIONS.get(operation ?? '') ?? '',
    ...(repository ? { repository: repository.name } : {}),
  };
  if (await applyFaultBefore(effect, req, res, (code, message) => registryFaultAnswer(code, message, where))) return;
  const path = `${url.pathname}${url.search}`;
  if (route.kind === 'manifest' && req.method === 'PUT' && repository)
    return putManifest(context, req, res, path, repository, route.reference, effect);
  if (route.kind === 'upload' && repository) return upload(context, req, res, repository.name, url, effect);
  if (route.kind === 'manifest' && req.method === 'DELETE' && repository) {
    return context.repositoryLocks.run(repository.name, async () => {
      if ((await forward(context, req, res, path)) !== 202) return;
      forgetImage(context.state, repository.name, route.reference);
      context.scans.forget(repository.name, route.reference);
      await persist(context);
    });
  }
  await forward(context, req, res, path);
}
