// The deploy files the generator writes: the seed's ECS task definition plus ARM64, and the AgentCore configuration.
import { type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from 'nx/src/devkit-testing-exports';
import { checkTaskDefinition } from '../../lib/deploy/task-definition';
import { checkRuntimeFile } from '../../lib/deploy/agentcore-runtime';
import { agentCoreConfig, SERVER_PROTOCOLS, writeDeployFiles } from './deploy-files';
import { agentServiceGenerator } from './generator';
import { normalizeOptions } from './normalize-options';

const workspace = (): Tree => createTreeWithEmptyWorkspace({ formatter: 'none' });
const readJson = (tree: Tree, path: string) => JSON.parse(tree.read(path, 'utf-8') ?? 'null');

describe('deploy files', () => {
  test.each([
    ['langgraph', 8001, '512', '1024'],
    ['snowflake-cortex', 8000, '512', '1024'],
    ['langfuse', 3000, '1024', '2048'],
  ] as const)('%s gets deploy/ecs/task-definition.json in the seed shape, ARM64, with its port and {{image}}', async (template, port, cpu, memory) => {
    const tree = workspace();
    await agentServiceGenerator(tree, { name: template });
    const definition = readJson(tree, `apps/${template}/deploy/ecs/task-definition.json`);
    expect(definition).toMatchObject({
      family: '{{projectName}}-{{service}}',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu,
      memory,
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      executionRoleArn: 'arn:aws:iam::{{accountId}}:role/ecsTaskExecutionRole',
    });
    expect(definition.containerDefinitions).toEqual([
      expect.objectContaining({
        name: template,
        image: '{{image}}',
        essential: true,
        portMappings: [{ containerPort: port, protocol: 'tcp' }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: expect.objectContaining({ 'awslogs-group': '/ecs/{{projectName}}-{{environment}}-{{service}}', 'awslogs-region': '{{region}}' }),
        },
      }),
    ]);
    expect(() => checkTaskDefinition(definition, 'task-definition.json', ['linux/arm64'])).not.toThrow();
    expect(tree.exists(`apps/${template}/deploy/agentcore.json`)).toBe(false);
  });

  it('--port reaches the container port', async () => {
    const tree = workspace();
    await agentServiceGenerator(tree, { name: 'langgraph', port: 9100 });
    expect(readJson(tree, 'apps/langgraph/deploy/ecs/task-definition.json').containerDefinitions[0].portMappings).toEqual([{ containerPort: 9100, protocol: 'tcp' }]);
  });

  it('aws-agent-core gets deploy/agentcore.json: role from AGENTCORE_ROLE_ARN, PUBLIC network, HTTP protocol, environment', async () => {
    const tree = workspace();
    await agentServiceGenerator(tree, { name: 'aws-agent-core' });
    const config = readJson(tree, 'apps/aws-agent-core/deploy/agentcore.json');
    expect(config).toEqual({
      description: expect.stringContaining('({{environment}})'),
      roleArn: '{{env.AGENTCORE_ROLE_ARN}}',
      networkConfiguration: { networkMode: 'PUBLIC' },
      protocolConfiguration: { serverProtocol: 'HTTP' },
      environmentVariables: { AGENT_BACKEND: 'auto', ENVIRONMENT: '{{environment}}', LOG_LEVEL: 'INFO' },
    });
    expect(() => checkRuntimeFile(config, 'agentcore.json')).not.toThrow();
    expect(tree.exists('apps/aws-agent-core/deploy/ecs/task-definition.json')).toBe(false);
  });

  test.each(Object.entries(SERVER_PROTOCOLS))('protocol %s becomes serverProtocol %s', (protocol, serverProtocol) => {
    const options = normalizeOptions(workspace(), { name: 'aws-agent-core' });
    expect(agentCoreConfig({ ...options, protocol: protocol as keyof typeof SERVER_PROTOCOLS })).toMatchObject({ protocolConfiguration: { serverProtocol } });
  });

  it('does not overwrite a deploy file that is already there', () => {
    const tree = workspace();
    tree.write('apps/langgraph/deploy/ecs/task-definition.json', '{"family":"mine"}\n');
    // The generator refuses an existing folder, so this calls the writer the generator calls.
    writeDeployFiles(tree, normalizeOptions(workspace(), { name: 'langgraph' }));
    expect(tree.read('apps/langgraph/deploy/ecs/task-definition.json', 'utf-8')).toBe('{"family":"mine"}\n');
  });
});
