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
  DescribeImageScanFindingsCommandInput,
  DescribeImageScanFindingsCommandOutput,
} from '@aws-sdk/client-ecr';
import type * as Sts from '@aws-sdk/client-sts';
import type { GetCallerIdentityCommandOutput, STSClient } from '@aws-sdk/client-sts';
import { sender } from './deadline';

/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads; an import would load the SDK with the plugin */
const ecrSdk = (): typeof Ecr => require('@aws-sdk/client-ecr');
const stsSdk = (): typeof Sts => require('@aws-sdk/client-sts');
import type * as AgentCoreSdk from '@aws-sdk/client-bedrock-agentcore-control';
import type * as EcsSdk from '@aws-sdk/client-ecs';
// The deploy SDKs load on first use too: docker-build and ecr-push processes never call ECS or AgentCore.
const ecsSdk = (): typeof EcsSdk => require('@aws-sdk/client-ecs');
const agentCoreSdk = (): typeof AgentCoreSdk => require('@aws-sdk/client-bedrock-agentcore-control');
/* eslint-enable @typescript-eslint/no-require-imports */
import { roleCredentials } from './role-credentials';

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

/** The ECS calls of ecs-deploy. */
export interface EcsPort {
  describeTaskDefinition(input: EcsSdk.DescribeTaskDefinitionCommandInput): Promise<EcsSdk.DescribeTaskDefinitionCommandOutput>;
  registerTaskDefinition(input: EcsSdk.RegisterTaskDefinitionCommandInput): Promise<EcsSdk.RegisterTaskDefinitionCommandOutput>;
  describeServices(input: EcsSdk.DescribeServicesCommandInput): Promise<EcsSdk.DescribeServicesCommandOutput>;
  updateService(input: EcsSdk.UpdateServiceCommandInput): Promise<EcsSdk.UpdateServiceCommandOutput>;
}

/** The bedrock-agentcore-control calls of agentcore-deploy. */
export interface AgentCorePort {
  listAgentRuntimes(input: AgentCoreSdk.ListAgentRuntimesCommandInput): Promise<AgentCoreSdk.ListAgentRuntimesCommandOutput>;
  getAgentRuntime(input: AgentCoreSdk.GetAgentRuntimeCommandInput): Promise<AgentCoreSdk.GetAgentRuntimeCommandOutput>;
  createAgentRuntime(input: AgentCoreSdk.CreateAgentRuntimeCommandInput): Promise<AgentCoreSdk.CreateAgentRuntimeCommandOutput>;
  updateAgentRuntime(input: AgentCoreSdk.UpdateAgentRuntimeCommandInput): Promise<AgentCoreSdk.UpdateAgentRuntimeCommandOutput>;
  getAgentRuntimeEndpoint(
    input: AgentCoreSdk.GetAgentRuntimeEndpointCommandInput,
  ): Promise<AgentCoreSdk.GetAgentRuntimeEndpointCommandOutput>;
  createAgentRuntimeEndpoint(
    input: AgentCoreSdk.CreateAgentRuntimeEndpointCommandInput,
  ): Promise<AgentCoreSdk.CreateAgentRuntimeEndpointCommandOutput>;
  updateAgentRuntimeEndpoint(
    input: AgentCoreSdk.UpdateAgentRuntimeEndpointCommandInput,
  ): Promise<AgentCoreSdk.UpdateAgentRuntimeEndpointCommandOutput>;
}

export interface AwsTarget {
  region?: string;
  profile?: string;
  /** Bounded attempts for the SDK's adaptive retry (throttling, 5xx, network). Default 6. */
  maxAttempts?: number;
  /** The deadline of one AWS call, its retries included. Default AWS_CALL_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Another account's role, assumed with STS from the profile's (or the default chain's) credentials. */
  roleArn?: string;
  externalId?: string;
  /** The ECR API endpoint when it is not the region's (a VPC interface endpoint, local-ecr); STS keeps its own. */
  endpoint?: string;
}

/** A call that has not answered by then fails: a black-holed endpoint costs a minute, not the SDK's 6 × 300 s. */
export const AWS_CALL_TIMEOUT_MS = 60_000;
/** One attempt's limits; the SDK retries a timed-out attempt while the call's deadline allows. */
const ATTEMPT_TIMEOUT_MS = 20_000;
const CONNECT_TIMEOUT_MS = 5_000;

export interface AwsPorts {
  ecr: EcrPort;
  sts: StsPort;
  ecs: EcsPort;
  agentCore: AgentCorePort;
  /** The region the clients resolved (option, AWS_REGION, profile): what `{{region}}` in a deploy file becomes. */
  region(): Promise<string>;
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
  return new (ecrSdk().ECRClient)({ ...clientConfig(target), ...(target.endpoint ? { endpoint: target.endpoint } : {}), ...overrides });
}

export function createStsClient(target: AwsTarget): STSClient {
  return new (stsSdk().STSClient)(clientConfig(target));
}

/**
 * The SDK clients of one target. In batch mode one set serves every task with that target (lib/task/run-scope.ts).
 * ECS and AgentCore are built on first use; `destroy` closes the clients that were built.
 */
export interface AwsClients {
  readonly ecr: ECRClient;
  readonly sts: STSClient;
  readonly ecs: EcsSdk.ECSClient;
  readonly agentCore: AgentCoreSdk.BedrockAgentCoreControlClient;
  /** The deadline of each call made through ports over these clients. */
  readonly timeoutMs?: number;
  /** The assumed role's secret parts held right now (none without a role). */
  secrets?: () => string[];
  destroy(): void;
}

/** A target with a role gets one set of role credentials, shared by its clients and refreshed before expiry. */
export function createAwsClients(target: AwsTarget): AwsClients {
  // A role: one set of its credentials (assumed with the base profile or chain) for every client of the target.
  const sts$ = stsSdk();
  const assumer = target.roleArn ? new sts$.STSClient(clientConfig({ ...target, roleArn: undefined })) : undefined;
  const role =
    assumer && target.roleArn
      ? roleCredentials((input) => assumer.send(new sts$.AssumeRoleCommand(input)), {
          roleArn: target.roleArn,
          externalId: target.externalId,
        })
      : undefined;
  const config = { ...clientConfig(target), ...(role ? { credentials: role.provider } : {}) };
  const ecr = createEcrClient(target, role ? { credentials: role.provider } : {});
  const sts = new sts$.STSClient(config);
  let ecs: EcsSdk.ECSClient | undefined;
  let agentCore: AgentCoreSdk.BedrockAgentCoreControlClient | undefined;
  return {
    ecr,
    sts,
    timeoutMs: target.timeoutMs,
    get ecs() {
      return (ecs ??= new (ecsSdk().ECSClient)(config));
    },
    get agentCore() {
      return (agentCore ??= new (agentCoreSdk().BedrockAgentCoreControlClient)(config));
    },
    ...(role ? { secrets: role.secrets } : {}),
    destroy() {
      for (const client of [ecr, sts, ecs, agentCore, assumer]) client?.destroy();
    },
  };
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
    describeImageScanFindings: (input) => send(new sdk.DescribeImageScanFindingsCommand(input)),
  };
}

export function stsPort(client: STSClient, signal?: AbortSignal, timeoutMs = AWS_CALL_TIMEOUT_MS): StsPort {
  const send = sender(client, 'STS', signal, timeoutMs);
  const { GetCallerIdentityCommand } = stsSdk();
  return { getCallerIdentity: () => send(new GetCallerIdentityCommand({})) };
}

/** `client` is asked for only when a call is made, so ports over clients built on first use build nothing. */
export function ecsPort(client: () => EcsSdk.ECSClient, signal?: AbortSignal, timeoutMs = AWS_CALL_TIMEOUT_MS): EcsPort {
  const send = <Output>(command: object) => sender(client(), 'ECS', signal, timeoutMs)<Output>(command);
  const sdk = ecsSdk;
  return {
    describeTaskDefinition: (input) => send(new (sdk().DescribeTaskDefinitionCommand)(input)),
    registerTaskDefinition: (input) => send(new (sdk().RegisterTaskDefinitionCommand)(input)),
    describeServices: (input) => send(new (sdk().DescribeServicesCommand)(input)),
    updateService: (input) => send(new (sdk().UpdateServiceCommand)(input)),
  };
}

export function agentCorePort(
  client: () => AgentCoreSdk.BedrockAgentCoreControlClient,
  signal?: AbortSignal,
  timeoutMs = AWS_CALL_TIMEOUT_MS,
): AgentCorePort {
  const send = <Output>(command: object) => sender(client(), 'BEDROCK_AGENTCORE_CONTROL', signal, timeoutMs)<Output>(command);
  const sdk = agentCoreSdk;
  return {
    listAgentRuntimes: (input) => send(new (sdk().ListAgentRuntimesCommand)(input)),
    getAgentRuntime: (input) => send(new (sdk().GetAgentRuntimeCommand)(input)),
    createAgentRuntime: (input) => send(new (sdk().CreateAgentRuntimeCommand)(input)),
    updateAgentRuntime: (input) => send(new (sdk().UpdateAgentRuntimeCommand)(input)),
    getAgentRuntimeEndpoint: (input) => send(new (sdk().GetAgentRuntimeEndpointCommand)(input)),
    createAgentRuntimeEndpoint: (input) => send(new (sdk().CreateAgentRuntimeEndpointCommand)(input)),
    updateAgentRuntimeEndpoint: (input) => send(new (sdk().UpdateAgentRuntimeEndpointCommand)(input)),
  };
}

/** Ports over `clients`, bound to `signal`. */
export function awsPorts(clients: AwsClients, signal?: AbortSignal): AwsPorts {
  return {
    ecr: ecrPort(clients.ecr, signal, clients.timeoutMs),
    sts: stsPort(clients.sts, signal, clients.timeoutMs),
    ecs: ecsPort(() => clients.ecs, signal, clients.timeoutMs),
    agentCore: agentCorePort(() => clients.agentCore, signal, clients.timeoutMs),
    region: () => clients.sts.config.region(),
  };
}
