// Requests to an ECR registry's HTTP API (Docker Registry v2) with the GetAuthorizationToken credential as HTTP
// Basic auth: one place for the auth header, the task's signal and the one re-login after an expired token.
import { UserError } from '../errors';
import type { RegistryAuth } from './registry-login';

export interface RegistryHttp {
  /** Current registry credentials; `fresh` asks for a new token after the registry refused the old one. */
  auth: (fresh?: boolean) => Promise<RegistryAuth>;
  fetch?: typeof fetch;
  /** The task's signal: aborting it cancels the registry request in flight. */
  signal?: AbortSignal;
  /** Deadline of one request, its body included (a blob streamed across). Default REGISTRY_TIMEOUT_MS. */
  timeoutMs?: number;
}

export const REGISTRY_TIMEOUT_MS = 10 * 60_000;

/**
 * Whether the registry refused our token as expired. ECR answers 401, or 403 DENIED "Your authorization token has
 * expired" (in the errors body). A 403 to HEAD carries no body to tell, so it counts too: one re-login is cheap.
 */
export async function isExpiredTokenResponse(response: Response, method: string): Promise<boolean> {
  if (response.status === 401) return true;
  if (response.status !== 403) return false;
  if (method === 'HEAD') return true;
  return isExpiredTokenBody(
    await response
      .clone()
      .text()
      .catch(() => ''),
  );
}

/** The registry's error body (`{errors: [{code, message}]}`) says DENIED because the token expired. */
export function isExpiredTokenBody(text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  const errors: unknown = typeof parsed === 'object' && parsed !== null ? (parsed as { errors?: unknown }).errors : undefined;
  if (!Array.isArray(errors)) return false;
  return (errors as { code?: unknown; message?: unknown }[]).some(
    (e) => typeof e === 'object' && e !== null && e.code === 'DENIED' && typeof e.message === 'string' && /expired/i.test(e.message),
  );
}

/** One registry request with Basic auth from the ECR token; a refused (expired) token gets one fresh token and one retry. */
export async function registryRequest(
  deps: RegistryHttp,
  method: string,
  pathOrUrl: string,
  body?: { body: ReadableStream<Uint8Array>; type: string },
): Promise<Response> {
  const doFetch = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? REGISTRY_TIMEOUT_MS;
  const send = async (fresh: boolean) => {
    const auth = await deps.auth(fresh);
    const url = pathOrUrl.startsWith('/') ? `${auth.proxyEndpoint}${pathOrUrl}` : pathOrUrl;
    const init: RequestInit & { duplex?: 'half' } = {
      method,
      headers: { authorization: `Basic ${auth.token}`, ...(body ? { 'content-type': body.type } : {}) },
      redirect: 'follow',
      signal: deps.signal ? AbortSignal.any([deps.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      ...(body ? { body: body.body, duplex: 'half' as const } : {}),
    };
    try {
      return await doFetch(url, init);
    } catch (error) {
      if (deps.signal?.aborted || !(error instanceof Error) || error.name !== 'TimeoutError') throw error;
      throw new UserError(
        `Registry request ${method} ${new URL(url).origin}${new URL(url).pathname} did not answer within ${Math.round(timeoutMs / 1000)}s: check the network and proxy.`,
      );
    }
  };
  const first = await send(false);
  // A streamed body cannot be replayed, so only body-less requests retry after a token refresh.
  if (body || !(await isExpiredTokenResponse(first, method))) return first;
  await first.arrayBuffer().catch(() => undefined);
  return send(true);
}
