// One HTTP request to a contract-check container's endpoint, with its own deadline; the answer as data.
import type { Endpoint } from './contract';
import type { Answer } from './judge';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Sends the endpoint's request (its check's body and headers) and reads the whole answer. Network errors throw. */
export async function requestEndpoint(
  fetchFn: FetchLike,
  baseUrl: string,
  endpoint: Pick<Endpoint, 'method' | 'path' | 'check'>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Answer> {
  const body = endpoint.method === 'POST' ? JSON.stringify(endpoint.check?.body ?? {}) : undefined;
  const timeout = AbortSignal.timeout(timeoutMs);
  const response = await fetchFn(`${baseUrl}${endpoint.path}`, {
    method: endpoint.method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...endpoint.check?.headers },
    body,
    redirect: 'manual',
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** "connection refused", "timed out after 30s", or the error's own words: what the last attempt met. */
export function networkProblem(error: unknown, timeoutMs: number): string {
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  if (cause === 'ECONNREFUSED') return 'connection refused';
  if (cause === 'ECONNRESET' || cause === 'UND_ERR_SOCKET') return 'connection reset';
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${Math.round(timeoutMs / 1000)}s`;
  }
  return error instanceof Error ? error.message : String(error);
}
