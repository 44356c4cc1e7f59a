// The one HTTP server of local-ecr: refuses foreign Host headers, applies fault hooks, and routes each request to
// the ECR API, STS, the registry proxy or the admin API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { signingKeyId } from './access';
import { ADMIN_PREFIX, handleAdmin } from './admin-api';
import type { ServerContext } from './context';
import { ECR_TARGET_PREFIX, handleEcrCall } from './ecr-api';
import { RegistryError } from './errors';
import { ecrFaultAnswer, stsFaultAnswer } from './fault-answers';
import { applyFaultBefore } from './fault-http';
import { combine } from './faults';
import { readText, sendJson } from './http-io';
import { asInput, type Input } from './input';
import { handleRegistry, sendRegistryError } from './registry-proxy';
import { handleStsCall, isStsCall } from './sts';

/** An ECR or STS request body is small; anything bigger is not one. */
const MAX_API_BODY = 8 * 1024 * 1024;
const AMZ_JSON = 'application/x-amz-json-1.1';

/** The repository an ECR request names, for faults scoped to one repository (undefined when the body is bad). */
function repositoryIn(input: () => Input): string | undefined {
  try {
    const name = input()['repositoryName'];
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

async function handleApi(context: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readText(req, MAX_API_BODY);
  const target = req.headers['x-amz-target'];
  const where = { accountId: context.accountId, region: context.region };
  if (typeof target === 'string' && target.startsWith(ECR_TARGET_PREFIX)) {
    let parsed: Input | undefined;
    const input = () => (parsed ??= asInput(body));
    const name = target.slice(ECR_TARGET_PREFIX.length);
    context.stats.call(name);
    const repository = repositoryIn(input);
    const effect = combine(context.faults.onCall(name, repository));
    const answerFault = (code: string, message?: string) =>
      ecrFaultAnswer(code, message, { ...where, action: name, ...(repository ? { repository } : {}) });
    if (await applyFaultBefore(effect, req, res, answerFault)) return;
    const keyId = signingKeyId(req.headers.authorization);
    if (!context.access.admits(keyId)) {
      const answer = answerFault('AccessDeniedException', notAdmitted(context, name, keyId, repository));
      res.writeHead(answer.status, answer.headers);
      return void res.end(answer.body);
    }
    const answer = await handleEcrCall(context, target, input, effect);
    return sendJson(res, answer.status, answer.body, AMZ_JSON, answer.errorType ? { 'x-amzn-errortype': answer.errorType } : {});
  }
  const form = new URLSearchParams(body);
  if (isStsCall(form)) {
    const action = form.get('Action') ?? '';
    context.stats.call(`sts:${action}`);
    const effect = combine(context.faults.onCall(action));
    if (await applyFaultBefore(effect, req, res, (code, message) => stsFaultAnswer(code, message, { ...where, action }))) return;
    const caller = {
      accountId: context.accountId,
      access: context.access,
      accessKeyId: signingKeyId(req.headers.authorization),
      now: context.now(),
    };
    const answer = handleStsCall(form, caller);
    res.writeHead(answer.status, { 'content-type': 'text/xml', 'x-amzn-requestid': answer.requestId });
    return void res.end(answer.body);
  }
  const message = `local-ecr serves the ECR API (X-Amz-Target: ${ECR_TARGET_PREFIX}*) and STS GetCallerIdentity and AssumeRole; this request is neither.`;
  sendJson(res, 400, { __type: 'UnknownOperationException', message }, AMZ_JSON, { 'x-amzn-errortype': 'UnknownOperationException:' });
}

/** IAM's words when another account's caller is not granted: no role of the account's access setting signed it. */
function notAdmitted(context: ServerContext, action: string, keyId: string | undefined, repository: string | undefined): string {
  const who = context.access.assumedRoleOf(keyId)?.assumedRoleArn ?? `the caller with access key ${keyId ?? '(unsigned)'}`;
  const resource = repository ? `arn:aws:ecr:${context.region}:${context.accountId}:repository/${repository}` : '*';
  return (
    `User: ${who} is not authorized to perform: ecr:${action} on resource: ${resource} because no resource-based policy ` +
    `allows the ecr:${action} action (this account accepts only ${context.access.allowedRoles().join(', ')})`
  );
}

/** Refuses a request whose Host is not this instance's address: a page on a rebound DNS name cannot use it. */
function foreignHost(context: ServerContext, req: IncomingMessage, res: ServerResponse, isRegistry: boolean): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  if (context.allowedHosts.has(host)) return false;
  req.resume();
  const message = `local-ecr answers only requests for ${[...context.allowedHosts].join(' or ')}, not Host '${host.slice(0, 100)}' (a name that merely resolves to this machine is refused).`;
  if (isRegistry) sendRegistryError(res, new RegistryError(403, 'DENIED', message));
  else sendJson(res, 403, { __type: 'AccessDeniedException', message }, AMZ_JSON, { 'x-amzn-errortype': 'AccessDeniedException:' });
  return true;
}

async function route(context: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${context.host}`);
  const isRegistry = url.pathname === '/v2' || url.pathname.startsWith('/v2/');
  if (foreignHost(context, req, res, isRegistry)) return;
  if (isRegistry) return handleRegistry(context, req, res, url);
  if (url.pathname.startsWith(ADMIN_PREFIX + '/')) return handleAdmin(context, req, res, url.pathname);
  if (req.method === 'POST' && url.pathname === '/') return handleApi(context, req, res);
  req.resume();
  sendJson(res, 404, { message: `local-ecr: nothing at ${req.method} ${url.pathname}` });
}

export function createLocalEcrServer(context: ServerContext): Server {
  return createServer((req, res) => {
    route(context, req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (res.headersSent || res.destroyed) return void res.destroy();
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
