// The deploy files a service gets, kept apart from the app templates: an ECS task definition for the ECS
// templates (langgraph, snowflake-cortex, langfuse) and an AgentCore runtime configuration for aws-agent-core.
// Both derive from the template's containers (templates.ts) and are filled in by ecs-deploy / agentcore-deploy:
// {{image}} becomes this run's digest reference, {{image:<project>}} another project's (langfuse's worker).
import type { Tree } from '@nx/devkit';
import { DEFAULT_DEPLOY_FILES } from '../../lib/deploy/deploy-file';
import { EXECUTORS } from '../../lib/records/names';
import type { NormalizedOptions } from './normalize-options';
import { serviceContainers, type ContainerSpec, type Protocol, type TemplateName } from './templates';

/** AgentCore's serverProtocol per generated protocol (AgentCore fixes the port per protocol: 8080 / 8000 / 9000). */
export const SERVER_PROTOCOLS: Record<Protocol, string> = { http: 'HTTP', mcp: 'MCP', a2a: 'A2A' };

/** Fargate task size per template: small Python agents; Langfuse's web and worker Node.js servers need more. */
const TASK_SIZE: Record<TemplateName, { cpu: string; memory: string }> = {
  'aws-agent-core': { cpu: '512', memory: '1024' },
  langgraph: { cpu: '512', memory: '1024' },
  'snowflake-cortex': { cpu: '512', memory: '1024' },
  langfuse: { cpu: '2048', memory: '4096' },
};

/** A variable's value comes from the deployment: the region from AWS, anything else from the deploying job. */
const valueOf = (name: string) => (name === 'AWS_REGION' ? '{{region}}' : `{{env.${name}}}`);
/** Secrets are SSM Parameter Store SecureStrings, one per environment: /<projectName>/<environment>/<NAME>. */
const secretArn = (name: string) => `arn:aws:ssm:{{region}}:{{accountId}}:parameter/{{projectName}}/{{environment}}/${name}`;
const imageOf = (c: ContainerSpec, o: NormalizedOptions) => (c.project === o.name ? '{{image}}' : `{{image:${c.project}}}`);

function ecsContainer(c: ContainerSpec, o: NormalizedOptions): object {
  return {
    name: c.name,
    image: imageOf(c, o),
    essential: true,
    portMappings: [{ containerPort: c.port, protocol: 'tcp' }],
    environment: c.env.map((name) => ({ name, value: valueOf(name) })),
    ...(c.secrets.length ? { secrets: c.secrets.map((name) => ({ name, valueFrom: secretArn(name) })) } : {}),
    // The Python images have python (their Dockerfile HEALTHCHECK uses it too); Langfuse's are checked by the load balancer.
    ...(o.info.python
      ? {
          healthCheck: {
            command: [
              'CMD',
              'python',
              '-c',
              `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${c.port}${c.healthPath}', timeout=4)`,
            ],
            interval: 30,
            timeout: 5,
            retries: 3,
            startPeriod: 30,
          },
        }
      : {}),
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': '/ecs/{{projectName}}-{{environment}}-{{service}}',
        'awslogs-region': '{{region}}',
        'awslogs-stream-prefix': c.name,
        'awslogs-create-group': 'true',
      },
    },
  };
}

/** The seed's task definition shape, plus the runtimePlatform without which Fargate will not run an arm64 image. */
export function ecsTaskDefinition(o: NormalizedOptions): object {
  return {
    family: '{{projectName}}-{{service}}',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    ...TASK_SIZE[o.template],
    runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    executionRoleArn: 'arn:aws:iam::{{accountId}}:role/ecsTaskExecutionRole',
    containerDefinitions: serviceContainers(o.name, o.template, o.contract).map((c) => ecsContainer(c, o)),
  };
}

/** CreateAgentRuntime's configuration; the role comes from AGENTCORE_ROLE_ARN (or the roleArn option) at deploy. */
export function agentCoreConfig(o: NormalizedOptions): object {
  const [container] = serviceContainers(o.name, o.template, o.contract);
  return {
    description: `${o.info.description} ({{environment}})`,
    roleArn: '{{env.AGENTCORE_ROLE_ARN}}',
    networkConfiguration: { networkMode: 'PUBLIC' },
    protocolConfiguration: { serverProtocol: SERVER_PROTOCOLS[o.protocol] },
    environmentVariables: Object.fromEntries((container?.env ?? []).map((name) => [name, valueOf(name)])),
  };
}

/** Writes the template's deploy file; a file the user already has is left as it is. */
export function writeDeployFiles(tree: Tree, o: NormalizedOptions): void {
  const [file, content] =
    o.template === 'aws-agent-core'
      ? [DEFAULT_DEPLOY_FILES.agentCore, agentCoreConfig(o)]
      : [DEFAULT_DEPLOY_FILES.ecs, ecsTaskDefinition(o)];
  const path = `${o.projectRoot}/${file}`;
  if (!tree.exists(path)) tree.write(path, `${JSON.stringify(content, null, 2)}\n`);
}

/** The deploy target's executor for a template. */
export function deployExecutor(template: TemplateName): string {
  return template === 'aws-agent-core' ? EXECUTORS.agentcoreDeploy : EXECUTORS.ecsDeploy;
}

/** Other projects whose pushed images the service's task runs (langfuse's worker): the deploy waits for their push. */
export function otherImageProjects(o: NormalizedOptions): string[] {
  return serviceContainers(o.name, o.template, o.contract)
    .map((c) => c.project)
    .filter((project) => project !== o.name);
}
