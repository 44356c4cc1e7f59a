// Every AWS call has a deadline: against a real listener that never answers, or a port nobody listens on, the SDK
// gives up in time with one line naming service, operation and endpoint; the task's signal cancels a call at once.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createEcrClient, ecrPort } from './clients';
import { AwsEndpointError } from './deadline';

let server: Server;
let endpoint: string;
const sockets: Socket[] = [];
beforeAll(async () => {
  // Accepts connections and never answers: a black-holed endpoint.
  server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  sockets.forEach((socket) => socket.destroy());
  await new Promise((resolve) => server.close(resolve));
});

const ecr = (url: string, timeoutMs: number, signal?: AbortSignal) =>
  ecrPort(
    createEcrClient(
      { region: 'us-east-1', timeoutMs, maxAttempts: 2 },
      { endpoint: url, credentials: { accessKeyId: 'AKID', secretAccessKey: 's' } },
    ),
    signal,
    timeoutMs,
  );

describe('AWS call deadlines', () => {
  it('a black-holed endpoint fails at the deadline, naming the service, the operation and the endpoint', async () => {
    const started = Date.now();
    const error = await ecr(endpoint, 1_500)
      .describeRepositories({})
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(error).toBeInstanceOf(AwsEndpointError);
    expect((error as Error).message).toBe(
      `ECR DescribeRepositories at ${endpoint} did not answer within 2s: check the network and proxy, ` +
        'and AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_ECR if set, or raise awsTimeoutSeconds.',
    );
  });

  it('a refused connection is named as such, at once', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    await expect(ecr(url, 10_000).describeImages({ repositoryName: 'r' })).rejects.toThrow(
      new RegExp(`^ECR DescribeImages at ${url} cannot be reached \\(.*ECONNREFUSED.*\\): check the network`),
    );
  });

  it("the task's signal cancels a call in flight within a second, and it is not reported as an endpoint problem", async () => {
    const controller = new AbortController();
    const pending = ecr(endpoint, 60_000, controller.signal)
      .describeRepositories({})
      .catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const aborted = Date.now();
    controller.abort();
    const error = await pending;
    expect(Date.now() - aborted).toBeLessThan(1_000);
    expect(error).not.toBeInstanceOf(AwsEndpointError);
    expect((error as Error).name).toMatch(/Abort/);
  });
});
