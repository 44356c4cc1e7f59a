// The admin API under /_local-ecr/: health (open), and behind the per-instance secret: counters, token expiry,
// fault hooks, scan findings and the account's access setting (which assumed roles it accepts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessSettingError } from './access';
import { type ServerContext, persist } from './context';
import { FaultSpecError } from './faults';
import { innerRequest } from './inner-http';
import { ScanSettingError } from './scans';
import { ADMIN_SECRET_FILE, ADMIN_SECRET_HEADER, secretMatches } from './secret-files';
import { readText, sendJson } from './http-io';

export const ADMIN_PREFIX = '/_local-ecr';

/** Whether the inner registry still answers (local-ecr is only healthy when its data plane is). */
async function innerRegistryAnswers(context: ServerContext): Promise<boolean> {
  try {
    return (await innerRequest(context.inner.socketPath, 'GET', '/v2/', {}, undefined, 2000)).status === 200;
  } catch {
    return false;
  }
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req, 1024 * 1024);
  try {
    return JSON.parse(text || 'null');
  } catch {
    throw new FaultSpecError('the request body is not valid JSON.');
  }
}

async function securedRoute(context: ServerContext, req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
  const [method, path] = route.split(' ') as [string, string];
  switch (route) {
    case 'GET /stats':
      return sendJson(res, 200, context.stats.snapshot());
    case 'POST /stats/reset':
      context.stats.reset();
      return sendJson(res, 200, context.stats.snapshot());
    case 'POST /expire-tokens':
      context.state.tokenGeneration += 1;
      await persist(context);
      return sendJson(res, 200, { expired: true });
    case 'GET /faults':
      return sendJson(res, 200, { faults: context.faults.list() });
    case 'POST /faults':
      return sendJson(res, 201, context.faults.add(await jsonBody(req)));
    case 'DELETE /faults':
      context.faults.clear();
      context.lag.clear();
      return sendJson(res, 200, { faults: [] });
    case 'GET /scans':
      return sendJson(res, 200, context.scans.list());
    case 'POST /scans':
      return sendJson(res, 201, context.scans.set(await jsonBody(req)));
    case 'DELETE /scans':
      context.scans.clear();
      return sendJson(res, 200, context.scans.list());
    case 'GET /access':
      return sendJson(res, 200, { allowRoles: context.access.allowedRoles(), issued: context.access.issuedList() });
    case 'POST /access':
      return sendJson(res, 200, {
        allowRoles: context.access.allowRoles(((await jsonBody(req)) as { allowRoles?: unknown } | null)?.allowRoles),
      });
    case 'DELETE /access':
      return sendJson(res, 200, { allowRoles: context.access.allowRoles([]) });
  }
  if (method === 'DELETE' && path.startsWith('/faults/')) {
    const id = path.slice('/faults/'.length);
    if (context.faults.remove(id)) return sendJson(res, 200, { faults: context.faults.list() });
    return sendJson(res, 404, { message: `local-ecr has no fault '${id}'; GET /_local-ecr/faults lists them.` });
  }
  sendJson(res, 404, { message: `local-ecr has no admin route ${route}; see packages/local-ecr/README.md` });
}

export async function handleAdmin(context: ServerContext, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const route = `${req.method} ${pathname.slice(ADMIN_PREFIX.length)}`;
  if (route === 'GET /health') {
    req.resume();
    const registry = await innerRegistryAnswers(context);
    const body = {
      status: registry ? 'ok' : 'registry-down',
      endpoint: `http://${context.host}`,
      pid: process.pid,
      stateWrites: context.store.writes,
    };
    return sendJson(res, registry ? 200 : 503, body);
  }
  // A per-instance secret in a header: a web page cannot read it, nor add the header to a cross-site request.
  if (!secretMatches(context.adminSecret, req.headers[ADMIN_SECRET_HEADER])) {
    req.resume();
    const message = `local-ecr admin endpoints need the header ${ADMIN_SECRET_HEADER} with the contents of ${context.stateDir}/${ADMIN_SECRET_FILE}.`;
    return sendJson(res, 401, { message });
  }
  try {
    await securedRoute(context, req, res, route);
  } catch (error) {
    if (!(error instanceof FaultSpecError || error instanceof ScanSettingError || error instanceof AccessSettingError)) throw error;
    sendJson(res, 400, { message: `local-ecr: ${error.message}` });
  }
}
