// The one HTTP server of local-ecr: routes each request to the ECR API, STS, the registry proxy or the admin API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { expireAllTokens } from './auth';
import { type ServerContext, persist } from './context';
import { ECR_TARGET_PREFIX, handleEcrCall } from './ecr-api';
import { RegistryError } from './errors';
import { handleRegistry, sendRegistryError } from './registry-proxy';
import { handleStsCall, isStsCall } from './sts';

export const ADMIN_PREFIX = '/_local-ecr';
/** An ECR or STS request body is small; anything bigger is not one. */
const MAX_API_BODY = 8 * 1024 * 1024;

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_API_BODY) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: object, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
  res.end(text);
}

/** Whether the inner registry still answers (local-ecr is only healthy when its data plane is). */
async function innerRegistryAnswers(context: ServerContext): Promise<boolean> {
  try {
    return (await fetch(`${context.inner.origin}/v2/`, { signal: AbortSignal.timeout(2000) })).status === 200;
  } catch {
    return false;
  }
}

async function handleAdmin(context: ServerContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  req.resume();
  const route = `${req.method} ${path.slice(ADMIN_PREFIX.length)}`;
  switch (route) {
    case 'GET /health': {
      const registry = await innerRegistryAnswers(context);
      const body = { status: registry ? 'ok' : 'registry-down', endpoint: `http://${context.host}`, pid: process.pid };
      return sendJson(res, registry ? 200 : 503, body);
    }
    case 'GET /stats':
      return sendJson(res, 200, context.stats.snapshot());
    case 'POST /stats/reset':
      context.stats.reset();
      return sendJson(res, 200, context.stats.snapshot());
    case 'POST /expire-tokens':
      expireAllTokens(context.state, context.now());
      persist(context);
      return sendJson(res, 200, { expired: true });
    default:
      return sendJson(res, 404, { message: `local-ecr has no admin route ${route}; see packages/local-ecr/README.md` });
  }
}

async function handleApi(context: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readText(req);
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith(ECR_TARGET_PREFIX)) {
    const answer = await handleEcrCall(context, target, body);
    return sendJson(res, answer.status, answer.body, 'application/x-amz-json-1.1');
  }
  const form = new URLSearchParams(body);
  if (isStsCall(form)) {
    const answer = handleStsCall(form, context.accountId);
    res.writeHead(answer.status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
    return void res.end(answer.body);
  }
  const message = `local-ecr serves the ECR API (X-Amz-Target: ${ECR_TARGET_PREFIX}*) and STS GetCallerIdentity; this request is neither.`;
  sendJson(res, 400, { __type: 'UnknownOperationException', message }, 'application/x-amz-json-1.1');
}

async function route(context: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${context.host}`);
  if (url.pathname === '/v2' || url.pathname.startsWith('/v2/')) return handleRegistry(context, req, res, url);
  if (url.pathname.startsWith(ADMIN_PREFIX + '/')) return handleAdmin(context, req, res, url.pathname);
  if (req.method === 'POST' && url.pathname === '/') return handleApi(context, req, res);
  req.resume();
  sendJson(res, 404, { message: `local-ecr: nothing at ${req.method} ${url.pathname}` });
}

export function createLocalEcrServer(context: ServerContext): Server {
  return createServer((req, res) => {
    route(context, req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (res.headersSent) return void res.destroy();
      if (error instanceof RegistryError) return sendRegistryError(res, error);
      sendJson(res, 500, { message: `local-ecr failed: ${message}` });
    });
  });
}

/** Listens on 127.0.0.1 only; a port in use becomes one clear line. */
export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`Port ${port} on 127.0.0.1 is already in use: stop what uses it or pick another port with --port.`));
      } else reject(error);
    });
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
