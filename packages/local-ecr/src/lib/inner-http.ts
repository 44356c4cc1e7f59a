// HTTP to the inner registry over its Unix socket (fetch cannot reach a socket without an extra dependency).
import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

/** One keep-alive pool for every call to the inner registry (proxied requests and local-ecr's own). */
export const innerAgent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface InnerAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Sends one request to the registry on `socketPath` and reads the whole answer; rejects after `timeoutMs`. */
export function innerRequest(
  socketPath: string,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders = {},
  body?: string | Buffer,
  timeoutMs = 30_000,
): Promise<InnerAnswer> {
  return new Promise((resolve, reject) => {
    const sent = request(
      { socketPath, path, method, headers: { host: 'local-ecr', ...headers }, agent: innerAgent, timeout: timeoutMs },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
        answer.on('error', reject);
      },
    );
    sent.on('timeout', () => sent.destroy(new Error(`the inner registry did not answer ${method} ${path} within ${timeoutMs} ms`)));
    sent.on('error', reject);
    sent.end(body);
  });
}
