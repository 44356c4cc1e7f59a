// The only module that constructs AWS clients. Everything else depends on the narrow ports below (cdk-assets style).
// The SDK loads on the first client: a task refused for its options, and graph inference, never load it.
import type * as Ecr from '@aws-sdk/client-ecr';
import type {
  BatchGetImageCommandInput,
  BatchGetImageCommandOutput,
  CreateRepositoryCommandInput,
  CreateRepositoryCommandOutput,
  DescribeImagesCommandInput,
  DescribeImagesCommandOutput,
  DescribeRepositoriesCommandInput,
  DescribeRepositoriesCommandOutput,
  ECRClient,
  ECRClientConfig,
  GetAuthorizationTokenCommandInput,
  GetAuthorizationTokenCommandOutput,
  PutImageCommandInput,
  PutImageCommandOutput,
  PutLifecyclePolicyCommandInput,
  PutLifecyclePolicyCommandOutput,
} from '@aws-sdk/client-ecr';
import type * as Sts from '@aws-sdk/client-sts';
import type { GetCallerIdentityCommandOutput, STSClient } from '@aws-sdk/client-sts';
import { sender } from './deadline';

/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads; an import would load the SDK with the plugin */
const ecrSdk = (): typeof Ecr => require('@aws-sdk/client-ecr');
const stsSdk = (): typeof Sts => require('@aws-sdk/client-sts');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Only the ECR calls this plugin makes; tests mock the client underneath with aws-sdk-client-mock. */
export interface EcrPort {
  describeRepositories(input: DescribeRepositoriesCommandInput): Promise<DescribeRepositoriesCommandOutput>;
  createRepository(input: CreateRepositoryCommandInput): Promise<CreateRepositoryCommandOutput>;
  putLifecyclePolicy(input: PutLifecyclePolicyCommandInput): Promise<PutLifecyclePolicyCommandOutput>;
  getAuthorizationToken(input: GetAuthorizationTokenCommandInput): Promise<GetAuthorizationTokenCommandOutput>;
  describeImages(input: DescribeImagesCommandInput): Promise<DescribeImagesCommandOutput>;
  batchGetImage(input: BatchGetImageCommandInput): Promise<BatchGetImageCommandOutput>;
  putImage(input: PutImageCommandInput): Promise<PutImageCommandOutput>;
}

export interface StsPort {
  getCallerIdentity(): Promise<GetCallerIdentityCommandOutput>;
}

export interface AwsTarget {
  region?: string;
  profile?: string;
  /** Bounded attempts for the SDK's adaptive retry (throttling, 5xx, network). Default 6. */
  maxAttempts?: number;
  /** The deadline of one AWS call, its retries included. Default AWS_CALL_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** A call that has not answered by then fails: a black-holed endpoint costs a minute, not the SDK's 6 × 300 s. */
export const AWS_CALL_TIMEOUT_MS = 60_000;
/** One attempt's limits; the SDK retries a timed-out attempt while the call's deadline allows. */
const ATTEMPT_TIMEOUT_MS = 20_000;
const CONNECT_TIMEOUT_MS = 5_000;

export interface AwsPorts {
  ecr: EcrPort;
  sts: StsPort;
}

/**
 * Region: option, else AWS_REGION, else AWS_DEFAULT_REGION (which the JS SDK does not read itself), else
 * undefined so the SDK falls back to the profile's config file.
 */
export function resolveRegion(option: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return option || env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || undefined;
}

/** Client configuration shared by ECR and STS. Endpoints are left to the SDK (AWS_ENDPOINT_URL[_ECR|_STS]). */
export function clientConfig(target: AwsTarget, env: NodeJS.ProcessEnv = process.env) {
  return {
    region: resolveRegion(target.region, env),
    // `profile` on the client selects credentials AND region from that profile, like AWS_PROFILE does.
    profile: target.profile || undefined,
    retryMode: 'adaptive' as const,
    maxAttempts: target.maxAttempts ?? 6,
    // `requestTimeout` alone only logs a warning; throwOnRequestTimeout makes an unanswered attempt fail (and retry).
    requestHandler: {
      connectionTimeout: Math.min(CONNECT_TIMEOUT_MS, target.timeoutMs ?? AWS_CALL_TIMEOUT_MS),
      requestTimeout: Math.min(ATTEMPT_TIMEOUT_MS, target.timeoutMs ?? AWS_CALL_TIMEOUT_MS),
      throwOnRequestTimeout: true,
    },
  };
}

/** `overrides` exist for tests that exercise the SDK's own retry with a fake HTTP handler. */
export function createEcrClient(target: AwsTarget, overrides: Partial<ECRClientConfig> = {}): ECRClient {
  return new (ecrSdk().ECRClient)({ ...clientConfig(target), ...overrides });
}

export function createStsClient(target: AwsTarget): STSClient {
  return new (stsSdk().STSClient)(clientConfig(target));
}

/** The SDK clients of one target. In batch mode one pair serves every task with that target (lib/task/run-scope.ts). */
export interface AwsClients {
  ecr: ECRClient;
  sts: STSClient;
  /** The deadline of each call made through ports over these clients. */
  timeoutMs?: number;
}

export function createAwsClients(target: AwsTarget): AwsClients {
  return { ecr: createEcrClient(target), sts: createStsClient(target), timeoutMs: target.timeoutMs };
}

/**
 * Every call carries `signal` (aborting it — Ctrl-C, a task's end — cancels the request in flight) and a deadline;
 * an unanswered, refused or unresolvable endpoint fails in one line naming the service, operation and endpoint.
 */
export function ecrPort(client: ECRClient, signal?: AbortSignal, timeoutMs = AWS_CALL_TIMEOUT_MS): EcrPort {
  const send = sender(client, 'ECR', signal, timeoutMs);
  const sdk = ecrSdk();
  return {
    describeRepositories: (input) => send(new sdk.DescribeRepositoriesCommand(input)),
    createRepository: (input) => send(new sdk.CreateRepositoryCommand(input)),
    putLifecyclePolicy: (input) => send(new sdk.PutLifecyclePolicyCommand(input)),
    getAuthorizationToken: (input) => send(new sdk.GetAuthorizationTokenCommand(input)),
    describeImages: (input) => send(new sdk.DescribeImagesCommand(input)),
    batchGetImage: (input) => send(new sdk.BatchGetImageCommand(input)),
    putImage: (input) => send(new sdk.PutImageCommand(input)),
  };
}

export function stsPort(client: STSClient, signal?: AbortSignal, timeoutMs = AWS_CALL_TIMEOUT_MS): StsPort {
  const send = sender(client, 'STS', signal, timeoutMs);
  const { GetCallerIdentityCommand } = stsSdk();
  return { getCallerIdentity: () => send(new GetCallerIdentityCommand({})) };
}

/** Ports over `clients`, bound to `signal`. */
export function awsPorts(clients: AwsClients, signal?: AbortSignal): AwsPorts {
  return { ecr: ecrPort(clients.ecr, signal, clients.timeoutMs), sts: stsPort(clients.sts, signal, clients.timeoutMs) };
}
