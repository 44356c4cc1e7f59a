// The only module that constructs AWS clients. Everything else depends on the narrow ports below (cdk-assets style).
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
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
  type DescribeImageScanFindingsCommandInput,
  type DescribeImageScanFindingsCommandOutput,
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
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { roleCredentials, type RoleCredentials } from './role-credentials';

/** Only the ECR calls this plugin makes; tests mock the client underneath with aws-sdk-client-mock. */
export interface EcrPort {
  describeRepositories(input: DescribeRepositoriesCommandInput): Promise<DescribeRepositoriesCommandOutput>;
  createRepository(input: CreateRepositoryCommandInput): Promise<CreateRepositoryCommandOutput>;
  putLifecyclePolicy(input: PutLifecyclePolicyCommandInput): Promise<PutLifecyclePolicyCommandOutput>;
  getAuthorizationToken(input: GetAuthorizationTokenCommandInput): Promise<GetAuthorizationTokenCommandOutput>;
  describeImages(input: DescribeImagesCommandInput): Promise<DescribeImagesCommandOutput>;
  batchGetImage(input: BatchGetImageCommandInput): Promise<BatchGetImageCommandOutput>;
  putImage(input: PutImageCommandInput): Promise<PutImageCommandOutput>;
  describeImageScanFindings(input: DescribeImageScanFindingsCommandInput): Promise<DescribeImageScanFindingsCommandOutput>;
}

export interface StsPort {
  getCallerIdentity(): Promise<GetCallerIdentityCommandOutput>;
}

export interface AwsTarget {
  region?: string;
  profile?: string;
  /** Bounded attempts for the SDK's adaptive retry (throttling, 5xx, network). Default 6. */
  maxAttempts?: number;
  /** Another account's role, assumed with STS from the profile's (or the default chain's) credentials. */
  roleArn?: string;
  externalId?: string;
  /** The ECR API endpoint when it is not the region's (a VPC interface endpoint, local-ecr); STS keeps its own. */
  endpoint?: string;
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
  return new ECRClient({ ...clientConfig(target), ...(target.endpoint ? { endpoint: target.endpoint } : {}), ...overrides });
}

export function createStsClient(target: AwsTarget): STSClient {
  return new STSClient(clientConfig(target));
}

/** The SDK clients of one target. In batch mode one pair serves every task with that target (lib/task/run-scope.ts). */
export interface AwsClients {
  ecr: ECRClient;
  sts: STSClient;
  /** The STS client that assumes the target's role, when it has one. */
  assumer?: STSClient;
  /** The assumed role's secret parts held right now (none without a role). */
  secrets?: () => string[];
}

/** A target with a role gets one set of role credentials, shared by its clients and refreshed before expiry. */
export function createAwsClients(target: AwsTarget): AwsClients {
  if (!target.roleArn) return { ecr: createEcrClient(target), sts: createStsClient(target) };
  const assumer = new STSClient(clientConfig({ ...target, roleArn: undefined }));
  const role: RoleCredentials = roleCredentials((input) => assumer.send(new AssumeRoleCommand(input)), {
    roleArn: target.roleArn,
    externalId: target.externalId,
  });
  return {
    ecr: createEcrClient(target, { credentials: role.provider }),
    sts: new STSClient({ ...clientConfig(target), credentials: role.provider }),
    assumer,
    secrets: role.secrets,
  };
}

/** Every call carries `signal`: aborting it (Ctrl-C, a task's end) cancels the request in flight. */
export function ecrPort(client: ECRClient, signal?: AbortSignal): EcrPort {
  const options = { abortSignal: signal };
  return {
    describeRepositories: (input) => client.send(new DescribeRepositoriesCommand(input), options),
    createRepository: (input) => client.send(new CreateRepositoryCommand(input), options),
    putLifecyclePolicy: (input) => client.send(new PutLifecyclePolicyCommand(input), options),
    getAuthorizationToken: (input) => client.send(new GetAuthorizationTokenCommand(input), options),
    describeImages: (input) => client.send(new DescribeImagesCommand(input), options),
    batchGetImage: (input) => client.send(new BatchGetImageCommand(input), options),
    putImage: (input) => client.send(new PutImageCommand(input), options),
    describeImageScanFindings: (input) => client.send(new DescribeImageScanFindingsCommand(input), options),
  };
}

export function stsPort(client: STSClient, signal?: AbortSignal): StsPort {
  return { getCallerIdentity: () => client.send(new GetCallerIdentityCommand({}), { abortSignal: signal }) };
}

/** Ports over `clients`, bound to `signal`. */
export function awsPorts(clients: AwsClients, signal?: AbortSignal): AwsPorts {
  return { ecr: ecrPort(clients.ecr, signal), sts: stsPort(clients.sts, signal) };
}
