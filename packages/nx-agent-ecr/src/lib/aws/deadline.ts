// One AWS call with a deadline and the task's signal, and the one line a user reads when the endpoint does not
// answer: which service and operation, which endpoint, how long, and what to check.
import { UserError } from '../errors';

/** The endpoint did not answer, refused the connection, or does not resolve. */
export class AwsEndpointError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'AwsEndpointError';
  }
}

interface Sendable {
  send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

interface RequestLike {
  protocol?: string;
  hostname?: string;
  port?: number;
}

type CommandLike = { constructor: { name: string }; middlewareStack: { add(middleware: unknown, options: object): void } };

const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|socket hang up/;

/** `client.send` with the signal, a deadline, and errors about the endpoint turned into one clear line. */
export function sender(client: Sendable, service: string, signal: AbortSignal | undefined, timeoutMs: number) {
  return async <Output>(command: object): Promise<Output> => {
    const operation = (command as CommandLike).constructor.name.replace(/Command$/, '');
    let endpoint: string | undefined;
    // The request is built (endpoint resolved) before this step: remember where it went, for the message.
    (command as CommandLike).middlewareStack.add(
      (next: (args: { request: RequestLike }) => Promise<unknown>) => async (args: { request: RequestLike }) => {
        const { protocol, hostname, port } = args.request;
        if (hostname) endpoint = `${protocol ?? 'https:'}//${hostname}${port ? `:${port}` : ''}`;
        return next(args);
      },
      { step: 'build', name: 'nxAgentEcrEndpoint' },
    );
    const deadline = AbortSignal.timeout(timeoutMs);
    const abortSignal = signal ? AbortSignal.any([signal, deadline]) : deadline;
    try {
      return (await client.send(command as never, { abortSignal })) as Output;
    } catch (error) {
      if (signal?.aborted) throw error;
      const where = `${service} ${operation} at ${endpoint ?? 'its endpoint'}`;
      const check = `check the network and proxy, and AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_${service} if set`;
      const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
      if (deadline.aborted || (error instanceof Error && error.name === 'TimeoutError')) {
        const after = deadline.aborted ? `within ${Math.round(timeoutMs / 1000)}s` : 'in time on any attempt';
        throw new AwsEndpointError(`${where} did not answer ${after}: ${check}, or raise awsTimeoutSeconds.`);
      }
      if (UNREACHABLE.test(text)) throw new AwsEndpointError(`${where} cannot be reached (${firstLine(text)}): ${check}.`);
      throw error;
    }
  };
}

const firstLine = (text: string) => text.split('\n')[0]?.trim() ?? text;
