// The deploy side of the AWS boundary: ECS and AgentCore ports send exactly their command with the task's signal,
// and their clients (and SDKs) are built only when a deploy calls them.
import * as agentcore from '@aws-sdk/client-bedrock-agentcore-control';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { join } from 'node:path';
import { runProcess } from '../process';
import { awsPorts, createAwsClients } from './clients';
import { mockedClients } from './test-support';

const sent = (mock: { calls(): { args: unknown[] }[] }) => mock.calls().map((call) => (call.args[0] as object).constructor.name);
/** Each call's abortSignal: its own (it carries the call's deadline too), aborted when the bound signal is. */
const signals = (mock: { calls(): { args: unknown[] }[] }) =>
  mock.calls().map((call) => (call.args[1] as { abortSignal?: AbortSignal } | undefined)?.abortSignal?.aborted);

describe('deploy ports', () => {
  it('send exactly the command named by each method, with a deadline and the signal the ports are bound to', async () => {
    const { clients, ecsMock, agentCoreMock } = mockedClients('eu-west-1');
    const controller = new AbortController();
    const signal = controller.signal;
    const { ecs, agentCore, region } = awsPorts(clients, signal);
    await ecs.describeTaskDefinition({ taskDefinition: 'f' });
    await ecs.registerTaskDefinition({ family: 'f', containerDefinitions: [] });
    await ecs.describeServices({ cluster: 'c', services: ['s'] });
    await ecs.updateService({ cluster: 'c', service: 's', taskDefinition: 'f:2' });
    expect(sent(ecsMock)).toEqual(
      [DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, DescribeServicesCommand, UpdateServiceCommand].map((c) => c.name),
    );
    await agentCore.listAgentRuntimes({});
    await agentCore.getAgentRuntime({ agentRuntimeId: 'r' });
    await agentCore.createAgentRuntime({ agentRuntimeName: 'r', agentRuntimeArtifact: {}, roleArn: 'x' } as never);
    await agentCore.updateAgentRuntime({ agentRuntimeId: 'r', agentRuntimeArtifact: {}, roleArn: 'x' } as never);
    await agentCore.getAgentRuntimeEndpoint({ agentRuntimeId: 'r', endpointName: 'e' });
    await agentCore.createAgentRuntimeEndpoint({ agentRuntimeId: 'r', name: 'e' });
    await agentCore.updateAgentRuntimeEndpoint({ agentRuntimeId: 'r', endpointName: 'e' });
    expect(sent(agentCoreMock)).toEqual(
      [
        agentcore.ListAgentRuntimesCommand,
        agentcore.GetAgentRuntimeCommand,
        agentcore.CreateAgentRuntimeCommand,
        agentcore.UpdateAgentRuntimeCommand,
        agentcore.GetAgentRuntimeEndpointCommand,
        agentcore.CreateAgentRuntimeEndpointCommand,
        agentcore.UpdateAgentRuntimeEndpointCommand,
      ].map((c) => c.name),
    );
    expect([...signals(ecsMock), ...signals(agentCoreMock)]).toEqual(Array(11).fill(false));
    controller.abort();
    expect([...signals(ecsMock), ...signals(agentCoreMock)]).toEqual(Array(11).fill(true));
    await expect(region()).resolves.toBe('eu-west-1');
  });
});

describe('createAwsClients', () => {
  it('builds the ECS and AgentCore clients on their first call only, once, and destroy closes them with the others', async () => {
    const clients = createAwsClients({ region: 'eu-west-1' });
    const ports = awsPorts(clients);
    const own = Object.getOwnPropertyDescriptors(clients);
    expect([typeof own.ecs?.get, typeof own.agentCore?.get]).toEqual(['function', 'function']);
    const ecsMock = mockClient(clients.ecs);
    await ports.ecs.describeServices({ cluster: 'c', services: ['s'] });
    expect(clients.ecs).toBe(clients.ecs);
    expect(ecsMock.calls()).toHaveLength(1);
    const destroyed = jest.spyOn(clients.ecs, 'destroy');
    clients.destroy();
    expect(destroyed).toHaveBeenCalledTimes(1);
    ecsMock.restore();
  });

  // A real node process: jest's module registry would hide what an executor process really loads.
  it('a docker-build or ecr-push process loads no AWS SDK until it builds a client, and then no deploy SDK', async () => {
    const root = join(__dirname, '..', '..', 'executors');
    const script = [
      `const sdks = () => Object.keys(require.cache).filter((f) => /client-(ecr|sts|ecs|bedrock-agentcore-control)\\//.test(f))`,
      `  .map((f) => f.match(/client-([a-z-]+)\\//)[1]).filter((name, i, all) => all.indexOf(name) === i).sort();`,
      `require(${JSON.stringify(join(root, 'docker-arm64-build', 'executor'))});`,
      `require(${JSON.stringify(join(root, 'ecr-push', 'executor'))});`,
      `const atLoad = sdks();`,
      `const { awsPorts, createAwsClients } = require(${JSON.stringify(join(__dirname, 'clients'))});`,
      `awsPorts(createAwsClients({ region: 'eu-west-1' }));`,
      `process.stdout.write(JSON.stringify({ atLoad, withClients: sdks() }));`,
    ].join('\n');
    const result = await runProcess(process.execPath, ['--no-warnings', '-r', '@swc-node/register', '-e', script]);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ atLoad: [], withClients: ['ecr', 'sts'] });
  }, 60_000);
});
