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
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type DescribeServicesCommandInput,
  type DescribeServicesCommandOutput,
  type DescribeTaskDefinitionCommandInput,
  type DescribeTaskDefinitionCommandOutput,
  type RegisterTaskDefinitionCommandInput,
  type RegisterTaskDefinitionCommandOutput,
  type UpdateServiceCommandInput,
  type UpdateServiceCommandOutput,
} from '@aws-sdk/client-ecs';
import {
  BedrockAgentCoreControlClient,
  CreateAgentRuntimeCommand,
  CreateAgentRuntimeEndpointCommand,
  GetAgentRuntimeCommand,
  GetAgentRuntimeEndpointCommand,
  ListAgentRuntimesCommand,
  UpdateAgentRuntimeCommand,
  UpdateAgentRuntimeEndpointCommand,
  type CreateAgentRuntimeCommandInput,
  type CreateAgentRuntimeCommandOutput,
  type CreateAgentRuntimeEndpointCommandInput,
  type CreateAgentRuntimeEndpointCommandOutput,
  type GetAgentRuntimeCommandInput,
  type GetAgentRuntimeCommandOutput,
  type GetAgentRuntimeEndpointCommandInput,
  type GetAgentRuntimeEndpointCommandOutput,
  type ListAgentRuntimesCommandInput,
  type ListAgentRuntimesCommandOutput,
  type UpdateAgentRuntimeCommandInput,
  type UpdateAgentRuntimeCommandOutput,
  type UpdateAgentRuntimeEndpointCommandInput,
  type UpdateAgentRuntimeEndpointCommandOutput,
} from '@aws-sdk/client-bedrock-agentcore-control';

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

/** The ECS calls of ecs-deploy. `signal` aborts the call in flight (Ctrl-C, the task's deadline). */
export interface EcsPort {
  describeTaskDefinition(input: DescribeTaskDefinitionCommandInput, signal?: AbortSignal): Promise<DescribeTaskDefinitionCommandOutput>;
  registerTaskDefinition(input: RegisterTaskDefinitionCommandInput, signal?: AbortSignal): Promise<RegisterTaskDefinitionCommandOutput>;
  describeServices(input: DescribeServicesCommandInput, signal?: AbortSignal): Promise<DescribeServicesCommandOutput>;
  updateService(input: UpdateServiceCommandInput, signal?: AbortSignal): Promise<UpdateServiceCommandOutput>;
}

/** The bedrock-agentcore-control calls of agentcore-deploy. */
export interface AgentCorePort {
  listAgentRuntimes(input: ListAgentRuntimesCommandInput, signal?: AbortSignal): Promise<ListAgentRuntimesCommandOutput>;
  getAgentRuntime(input: GetAgentRuntimeCommandInput, signal?: AbortSignal): Promise<GetAgentRuntimeCommandOutput>;
  createAgentRuntime(input: CreateAgentRuntimeCommandInput, signal?: AbortSignal): Promise<CreateAgentRuntimeCommandOutput>;
  updateAgentRuntime(input: UpdateAgentRuntimeCommandInput, signal?: AbortSignal): Promise<UpdateAgentRuntimeCommandOutput>;
  getAgentRuntimeEndpoint(input: GetAgentRuntimeEndpointCommandInput, signal?: AbortSignal): Promise<GetAgentRuntimeEndpointCommandOutput>;
  createAgentRuntimeEndpoint(input: CreateAgentRuntimeEndpointCommandInput, signal?: AbortSignal): Promise<CreateAgentRuntimeEndpointCommandOutput>;
  updateAgentRuntimeEndpoint(input: UpdateAgentRuntimeEndpointCommandInput, signal?: AbortSignal): Promise<UpdateAgentRuntimeEndpointCommandOutput>;
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

/**
 * Client configuration shared by every client. Endpoints are left to the SDK: AWS_ENDPOINT_URL, or per service
 * AWS_ENDPOINT_URL_ECR, _STS, _ECS, _BEDROCK_AGENTCORE_CONTROL (the service id, upper-cased, spaces to underscores).
 */
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

/** STS and ECS for ecs-deploy; the endpoint comes from the SDK (AWS_ENDPOINT_URL_ECS, AWS_ENDPOINT_URL). */
export interface EcsDeployPorts {
  sts: StsPort;
  ecs: EcsPort;
  /** The region the ECS client resolved (option, env, profile): `{{region}}` in deploy files, e.g. awslogs-region. */
  region(): Promise<string>;
}

export interface AgentCoreDeployPorts {
  sts: StsPort;
  agentCore: AgentCorePort;
  region(): Promise<string>;
}

export function ecsPort(client: ECSClient): EcsPort {
  const opts = (signal?: AbortSignal) => ({ abortSignal: signal });
  return {
    describeTaskDefinition: (input, signal) => client.send(new DescribeTaskDefinitionCommand(input), opts(signal)),
    registerTaskDefinition: (input, signal) => client.send(new RegisterTaskDefinitionCommand(input), opts(signal)),
    describeServices: (input, signal) => client.send(new DescribeServicesCommand(input), opts(signal)),
    updateService: (input, signal) => client.send(new UpdateServiceCommand(input), opts(signal)),
  };
}

export function agentCorePort(client: BedrockAgentCoreControlClient): AgentCorePort {
  const opts = (signal?: AbortSignal) => ({ abortSignal: signal });
  return {
    listAgentRuntimes: (input, signal) => client.send(new ListAgentRuntimesCommand(input), opts(signal)),
    getAgentRuntime: (input, signal) => client.send(new GetAgentRuntimeCommand(input), opts(signal)),
    createAgentRuntime: (input, signal) => client.send(new CreateAgentRuntimeCommand(input), opts(signal)),
    updateAgentRuntime: (input, signal) => client.send(new UpdateAgentRuntimeCommand(input), opts(signal)),
    getAgentRuntimeEndpoint: (input, signal) => client.send(new GetAgentRuntimeEndpointCommand(input), opts(signal)),
    createAgentRuntimeEndpoint: (input, signal) => client.send(new CreateAgentRuntimeEndpointCommand(input), opts(signal)),
    updateAgentRuntimeEndpoint: (input, signal) => client.send(new UpdateAgentRuntimeEndpointCommand(input), opts(signal)),
  };
}

export function createEcsDeployPorts(target: AwsTarget): EcsDeployPorts {
  const client = new ECSClient(clientConfig(target));
  return { sts: stsPort(createStsClient(target)), ecs: ecsPort(client), region: () => client.config.region() };
}

export function createAgentCoreDeployPorts(target: AwsTarget): AgentCoreDeployPorts {
  const client = new BedrockAgentCoreControlClient(clientConfig(target));
  return { sts: stsPort(createStsClient(target)), agentCore: agentCorePort(client), region: () => client.config.region() };
}

/** The error's name as the SDK reports it (`RepositoryNotFoundException`, …), or undefined for non-errors. */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
