// The deploy files the generator writes: the seed's ECS task definition plus ARM64 from the template's containers
// (langfuse: web and worker), and the AgentCore configuration with the protocol's serverProtocol.
import { type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from 'nx/src/devkit-testing-exports';
import { checkRuntimeFile } from '../../lib/deploy/agentcore-runtime';
import { checkTaskDefinition } from '../../lib/deploy/task-definition';
import { writeDeployFiles } from './deploy-files';
import { agentServiceGenerator } from './generator';
import { normalizeOptions } from './normalize-options';

const workspace = (): Tree => createTreeWithEmptyWorkspace({ formatter: 'none' });
const readJson = (tree: Tree, path: string) => JSON.parse(tree.read(path, 'utf-8') ?? 'null');
const ssm = (name: string) => `arn:aws:ssm:{{region}}:{{accountId}}:parameter/{{projectName}}/{{environment}}/${name}`;

describe('deploy files', () => {
  test.each([
    ['langgraph', 8001, '/health', '512'],
    ['snowflake-cortex', 8000, '/health', '512'],
  ] as const)(
    '%s gets deploy/ecs/task-definition.json in the seed shape, ARM64, with its port, health check and {{image}}',
    async (template, port, health, cpu) => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: template });
      const definition = readJson(tree, `apps/${template}/deploy/ecs/task-definition.json`);
      expect(definition).toMatchObject({
        family: '{{projectName}}-{{service}}',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu,
        runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
        executionRoleArn: 'arn:aws:iam::{{accountId}}:role/ecsTaskExecutionRole',
      });
      const [container] = definition.containerDefinitions;
      expect(definition.containerDefinitions).toHaveLength(1);
      expect(container).toMatchObject({
        name: template,
        image: '{{image}}',
        essential: true,
        portMappings: [{ containerPort: port, protocol: 'tcp' }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: expect.objectContaining({
            'awslogs-group': '/ecs/{{projectName}}-{{environment}}-{{service}}',
            'awslogs-region': '{{region}}',
          }),
        },
      });
      expect(container.healthCheck.command.join(' ')).toContain(`http://127.0.0.1:${port}${health}`);
      for (const variable of container.environment) expect(variable.value).toMatch(/^\{\{(region|env\.[A-Z_]+)\}\}$/);
      for (const secret of container.secrets ?? []) expect(secret.valueFrom).toBe(ssm(secret.name));
      expect(() => checkTaskDefinition(definition, 'task-definition.json', ['linux/arm64'])).not.toThrow();
      expect(tree.exists(`apps/${template}/deploy/agentcore.json`)).toBe(false);
    },
  );

  it("langfuse runs its web image and its worker project's image in one task, secrets from SSM", async () => {
    const tree = workspace();
    await agentServiceGenerator(tree, { name: 'langfuse' });
    const definition = readJson(tree, 'apps/langfuse/deploy/ecs/task-definition.json');
    expect(definition).toMatchObject({ cpu: '2048', memory: '4096', runtimePlatform: { cpuArchitecture: 'ARM64' } });
    expect(
      definition.containerDefinitions.map((c: { name: string; image: string; portMappings: unknown }) => [c.name, c.image, c.portMappings]),
    ).toEqual([
      ['langfuse-web', '{{image}}', [{ containerPort: 3000, protocol: 'tcp' }]],
      ['langfuse-worker', '{{image:langfuse-worker}}', [{ containerPort: 3030, protocol: 'tcp' }]],
    ]);
    expect(definition.containerDefinitions[0].secrets).toEqual(
      expect.arrayContaining([
        { name: 'DATABASE_URL', valueFrom: ssm('DATABASE_URL') },
        { name: 'NEXTAUTH_SECRET', valueFrom: ssm('NEXTAUTH_SECRET') },
      ]),
    );
    expect(definition.containerDefinitions[0]).not.toHaveProperty('healthCheck');
    expect(readJson(tree, 'apps/langfuse/project.json').targets.deploy.dependsOn).toEqual([
      'ecr-push',
      { projects: ['langfuse-worker'], target: 'ecr-push' },
    ]);
    expect(readJson(tree, 'apps/langfuse/worker/project.json').targets).not.toHaveProperty('deploy');
  });

  it('--port reaches the container port', async () => {
    const tree = workspace();
    await agentServiceGenerator(tree, { name: 'langgraph', port: 9100 });
    expect(readJson(tree, 'apps/langgraph/deploy/ecs/task-definition.json').containerDefinitions[0].portMappings).toEqual([
      { containerPort: 9100, protocol: 'tcp' },
    ]);
  });

  test.each([
    ['http', 'HTTP'],
    ['mcp', 'MCP'],
    ['a2a', 'A2A'],
  ] as const)(
    'aws-agent-core --protocol=%s gets deploy/agentcore.json with serverProtocol %s, the role from AGENTCORE_ROLE_ARN, PUBLIC network',
    async (protocol, serverProtocol) => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'aws-agent-core', protocol });
      const config = readJson(tree, 'apps/aws-agent-core/deploy/agentcore.json');
      expect(config).toEqual({
        description: expect.stringContaining('({{environment}})'),
        roleArn: '{{env.AGENTCORE_ROLE_ARN}}',
        networkConfiguration: { networkMode: 'PUBLIC' },
        protocolConfiguration: { serverProtocol },
        environmentVariables: { AWS_REGION: '{{region}}' },
      });
      expect(() => checkRuntimeFile(config, 'agentcore.json')).not.toThrow();
      expect(tree.exists('apps/aws-agent-core/deploy/ecs/task-definition.json')).toBe(false);
    },
  );

  it('does not overwrite a deploy file that is already there', () => {
    const tree = workspace();
    tree.write('apps/langgraph/deploy/ecs/task-definition.json', '{"family":"mine"}\n');
    // The generator refuses an existing folder, so this calls the writer the generator calls.
    writeDeployFiles(tree, normalizeOptions(workspace(), { name: 'langgraph' }));
    expect(tree.read('apps/langgraph/deploy/ecs/task-definition.json', 'utf-8')).toBe('{"family":"mine"}\n');
  });
});
