// The only module that constructs AWS clients. Everything else depends on the narrow ports below (cdk-assets style).
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  type ECRClientConfig,
  GetAuthorizationTokenCommand,
  PutImageCommand,
  PutLifecyclePolicyCommand,
  type BatchGetImageCommandInput,
  type BatchGetImageCommandOutput,
  type CreateRepositoryCommandInput,
  type CreateRepositoryCommandOutput,
  type DescribeImagesCommandInput,
  type DescribeImagesCommandOutput,
  type DescribeRepositoriesCommandInput,
  type DescribeRepositoriesCommandOutput,
  type GetAuthorizationTokenCommandInput,
  type GetAuthorizationTokenCommandOutput,
  type PutImageCommandInput,
  type PutImageCommandOutput,
  type PutLifecyclePolicyCommandInput,
  type PutLifecyclePolicyCommandOutput,
} from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand, STSClient, type GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';

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
  return new ECRClient({ ...clientConfig(target), ...overrides });
}

export function createStsClient(target: AwsTarget): STSClient {
  return new STSClient(clientConfig(target));
}

export function ecrPort(client: ECRClient): EcrPort {
  return {
    describeRepositories: (input) => client.send(new DescribeRepositoriesCommand(input)),
    createRepository: (input) => client.send(new CreateRepositoryCommand(input)),
    putLifecyclePolicy: (input) => client.send(new PutLifecyclePolicyCommand(input)),
    getAuthorizationToken: (input) => client.send(new GetAuthorizationTokenCommand(input)),
    describeImages: (input) => client.send(new DescribeImagesCommand(input)),
    batchGetImage: (input) => client.send(new BatchGetImageCommand(input)),
    putImage: (input) => client.send(new PutImageCommand(input)),
  };
}

export function stsPort(client: STSClient): StsPort {
  return { getCallerIdentity: () => client.send(new GetCallerIdentityCommand({})) };
}

export function createAwsPorts(target: AwsTarget): AwsPorts {
  return { ecr: ecrPort(createEcrClient(target)), sts: stsPort(createStsClient(target)) };
}
