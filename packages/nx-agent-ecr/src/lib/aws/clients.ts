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
}

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
}

export function createAwsClients(target: AwsTarget): AwsClients {
  return { ecr: createEcrClient(target), sts: createStsClient(target) };
}

/** Every call carries `signal`: aborting it (Ctrl-C, a task's end) cancels the request in flight. */
export function ecrPort(client: ECRClient, signal?: AbortSignal): EcrPort {
  const options = { abortSignal: signal };
  const sdk = ecrSdk();
  return {
    describeRepositories: (input) => client.send(new sdk.DescribeRepositoriesCommand(input), options),
    createRepository: (input) => client.send(new sdk.CreateRepositoryCommand(input), options),
    putLifecyclePolicy: (input) => client.send(new sdk.PutLifecyclePolicyCommand(input), options),
    getAuthorizationToken: (input) => client.send(new sdk.GetAuthorizationTokenCommand(input), options),
    describeImages: (input) => client.send(new sdk.DescribeImagesCommand(input), options),
    batchGetImage: (input) => client.send(new sdk.BatchGetImageCommand(input), options),
    putImage: (input) => client.send(new sdk.PutImageCommand(input), options),
  };
}

export function stsPort(client: STSClient, signal?: AbortSignal): StsPort {
  const { GetCallerIdentityCommand } = stsSdk();
  return { getCallerIdentity: () => client.send(new GetCallerIdentityCommand({}), { abortSignal: signal }) };
}

/** Ports over `clients`, bound to `signal`. */
export function awsPorts(clients: AwsClients, signal?: AbortSignal): AwsPorts {
  return { ecr: ecrPort(clients.ecr, signal), sts: stsPort(clients.sts, signal) };
}
