// The deploy files a service gets, kept apart from the app templates: an ECS task definition for the ECS
// templates (langgraph, snowflake-cortex, langfuse) and an AgentCore runtime configuration for aws-agent-core.
// Both are templates that ecs-deploy / agentcore-deploy fill in: {{image}} becomes this run's digest reference.
import type { Tree } from '@nx/devkit';
import type { NormalizedOptions } from './normalize-options';
import type { TemplateName } from './templates';

export const ECS_TASK_DEFINITION = 'deploy/ecs/task-definition.json';
export const AGENTCORE_CONFIG = 'deploy/agentcore.json';

/** AgentCore's serverProtocol per generated protocol; the port is AgentCore's per protocol (8080 / 8000 / 9000). */
export const SERVER_PROTOCOLS = { http: 'HTTP', mcp: 'MCP', a2a: 'A2A' } as const;
export type AgentProtocol = keyof typeof SERVER_PROTOCOLS;

/** Fargate task size per template: small Python agents, Langfuse's Next.js server needs more. */
const TASK_SIZE: Record<TemplateName, { cpu: string; memory: string }> = {
  'aws-agent-core': { cpu: '512', memory: '1024' },
  langgraph: { cpu: '512', memory: '1024' },
  'snowflake-cortex': { cpu: '512', memory: '1024' },
  langfuse: { cpu: '1024', memory: '2048' },
};

/** Non-secret settings only; secrets belong in the container's "secrets" (Secrets Manager / SSM valueFrom). */
const ENVIRONMENT: Record<TemplateName, Record<string, string>> = {
  'aws-agent-core': { AGENT_BACKEND: 'auto', ENVIRONMENT: '{{environment}}', LOG_LEVEL: 'INFO' },
  langgraph: { AGENT_BACKEND: 'auto', ENVIRONMENT: '{{environment}}', LOG_LEVEL: 'INFO' },
  'snowflake-cortex': { AGENT_BACKEND: 'auto', ENVIRONMENT: '{{environment}}', LOG_LEVEL: 'INFO' },
  langfuse: { HOSTNAME: '0.0.0.0', TELEMETRY_ENABLED: 'false' },
};

export interface ContainerSpec {
  name: string;
  /** `{{image}}` for the service's own image; a pinned reference for any other container of the task. */
  image: string;
  port?: number;
  environment: Record<string, string>;
}

type DeployInput = NormalizedOptions & { protocol?: AgentProtocol };

/** The containers of the service's task: one today; a template with more (e.g. a worker) adds them here. */
export function ecsContainers(o: DeployInput): ContainerSpec[] {
  return [{ name: o.name, image: '{{image}}', port: o.port, environment: ENVIRONMENT[o.template] }];
}

/** The seed's task definition shape, plus the runtimePlatform without which Fargate will not run an arm64 image. */
export function ecsTaskDefinition(o: DeployInput): object {
  const logGroup = '/ecs/{{projectName}}-{{environment}}-{{service}}';
  return {
    family: '{{projectName}}-{{service}}',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    ...TASK_SIZE[o.template],
    runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    executionRoleArn: 'arn:aws:iam::{{accountId}}:role/ecsTaskExecutionRole',
    containerDefinitions: ecsContainers(o).map((c) => ({
      name: c.name,
      image: c.image,
      essential: true,
      ...(c.port ? { portMappings: [{ containerPort: c.port, protocol: 'tcp' }] } : {}),
      environment: Object.entries(c.environment).map(([name, value]) => ({ name, value })),
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': logGroup, 'awslogs-region': '{{region}}', 'awslogs-stream-prefix': c.name, 'awslogs-create-group': 'true' },
      },
    })),
  };
}

/** CreateAgentRuntime's configuration; the role comes from AGENTCORE_ROLE_ARN (or the roleArn option) at deploy. */
export function agentCoreConfig(o: DeployInput): object {
  return {
    description: `${o.info.description} ({{environment}})`,
    roleArn: '{{env.AGENTCORE_ROLE_ARN}}',
    networkConfiguration: { networkMode: 'PUBLIC' },
    protocolConfiguration: { serverProtocol: SERVER_PROTOCOLS[o.protocol ?? 'http'] },
    environmentVariables: ENVIRONMENT[o.template],
  };
}

/** Writes the template's deploy file; a file the user already has is left as it is. */
export function writeDeployFiles(tree: Tree, o: DeployInput): void {
  const [file, content] = o.template === 'aws-agent-core' ? [AGENTCORE_CONFIG, agentCoreConfig(o)] : [ECS_TASK_DEFINITION, ecsTaskDefinition(o)];
  const path = `${o.projectRoot}/${file}`;
  if (!tree.exists(path)) tree.write(path, `${JSON.stringify(content, null, 2)}\n`);
}

/** The deploy target's executor for a template. */
export function deployExecutor(template: TemplateName): string {
  return template === 'aws-agent-core' ? 'nx-agent-ecr:agentcore-deploy' : 'nx-agent-ecr:ecs-deploy';
}
