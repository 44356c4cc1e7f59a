// agentcore-deploy through `nx run` against moto's bedrock-agentcore-control (called through the real SDK):
// create and wait for READY, no new version when nothing changed, an update re-sending the whole configuration,
// a named endpoint, and refusals that create nothing. moto moves a runtime from CREATING to READY but leaves an
// updated one UPDATING for ever, so the update runs with wait: false, and a deploy that waits on it can only meet
// its deadline here; READY after an update is covered by the unit specs with aws-sdk-client-mock.
import {
  BedrockAgentCoreControlClient,
  GetAgentRuntimeCommand,
  GetAgentRuntimeEndpointCommand,
  ListAgentRuntimesCommand,
  ListAgentRuntimeVersionsCommand,
} from '@aws-sdk/client-bedrock-agentcore-control';
import { useMoto } from '../support/moto';
import { DeployWorkspace, output, ROLE_ARN } from './deploy-harness';

const APP = 'aws-agent-core';
const RUNTIME = 'e2e_dev_aws_agent_core';

describe('agentcore-deploy against moto', () => {
  const moto = useMoto();
  let d: DeployWorkspace;
  let core: BedrockAgentCoreControlClient;
  const runtimeId = async () =>
    (await core.send(new ListAgentRuntimesCommand({}))).agentRuntimes?.find((r) => r.agentRuntimeName === RUNTIME)?.agentRuntimeId;
  const versions = async () => {
    const id = await runtimeId();
    return id ? ((await core.send(new ListAgentRuntimeVersionsCommand({ agentRuntimeId: id }))).agentRuntimes?.length ?? 0) : 0;
  };
  const runtime = async () => core.send(new GetAgentRuntimeCommand({ agentRuntimeId: (await runtimeId()) as string }));

  beforeAll(() => {
    d = new DeployWorkspace(moto);
    core = new BedrockAgentCoreControlClient({
      endpoint: moto().endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
  });
  afterAll(() => d?.dispose());

  it.each([
    [
      'a runtime name that cannot map',
      ['--runtimeName=agent.v2'],
      {},
      /Runtime name "agent\.v2" \(the runtimeName option\) cannot be an AgentCore runtime name/,
    ],
    [
      'a missing roleArn',
      [],
      { AGENTCORE_ROLE_ARN: undefined },
      /No roleArn: apps\/aws-agent-core\/deploy\/agentcore\.json takes it from AGENTCORE_ROLE_ARN, which is not set/,
    ],
    [
      'a missing configuration file',
      ['--config=apps/aws-agent-core/deploy/none.json'],
      {},
      /No deploy file at apps\/aws-agent-core\/deploy\/none\.json/,
    ],
  ])('%s fails in one line and creates nothing', async (_name, args, env, message) => {
    await d.pushed(APP, 'agent one');
    const ran = await d.deploy(APP, args, env);
    expect(ran.exitCode).not.toBe(0);
    expect(output(ran)).toMatch(message);
    expect((await core.send(new ListAgentRuntimesCommand({}))).agentRuntimes ?? []).toEqual([]);
    expect(d.record(APP).outcome).toBe('failed');
  });

  it('creates the runtime with the pushed digest, waits for READY and points the prod endpoint at version 1', async () => {
    const { imageRef } = await d.pushed(APP, 'agent one');
    const ran = await d.deploy(APP, ['--endpointName=prod', '--pollSeconds=1']);
    expect({ exit: ran.exitCode, out: output(ran) }).toMatchObject({ exit: 0 });
    expect(await versions()).toBe(1);
    const created = await runtime();
    expect(created).toMatchObject({
      status: 'READY',
      agentRuntimeVersion: '1',
      roleArn: ROLE_ARN,
      networkConfiguration: { networkMode: 'PUBLIC' },
      protocolConfiguration: { serverProtocol: 'HTTP' },
      environmentVariables: { AWS_REGION: 'us-east-1' },
      agentRuntimeArtifact: { containerConfiguration: { containerUri: imageRef } },
    });
    const endpoint = await core.send(new GetAgentRuntimeEndpointCommand({ agentRuntimeId: created.agentRuntimeId, endpointName: 'prod' }));
    expect(endpoint).toMatchObject({ liveVersion: '1', status: 'READY' });
    expect(d.record(APP)).toMatchObject({
      executor: 'agentcore-deploy',
      outcome: 'deployed',
      image: imageRef,
      agentCore: { runtimeName: RUNTIME, version: '1', status: 'READY', endpoint: 'prod' },
      scan: { status: 'COMPLETE', counts: { HIGH: 1 }, threshold: 'CRITICAL' },
    });
  });

  it('the same digest and configuration make no new version', async () => {
    const ran = await d.deploy(APP, ['--endpointName=prod']);
    expect(ran.exitCode).toBe(0);
    expect(await versions()).toBe(1);
    expect(d.record(APP)).toMatchObject({ outcome: 'unchanged', changes: [] });
  });

  it('a new digest makes version 2 with the complete configuration re-sent (wait: false)', async () => {
    const { imageRef } = await d.pushed(APP, 'agent two');
    const ran = await d.deploy(APP, ['--wait=false']);
    expect({ exit: ran.exitCode, out: output(ran) }).toMatchObject({ exit: 0 });
    expect(await versions()).toBe(2);
    expect(await runtime()).toMatchObject({
      agentRuntimeVersion: '2',
      roleArn: ROLE_ARN,
      networkConfiguration: { networkMode: 'PUBLIC' },
      protocolConfiguration: { serverProtocol: 'HTTP' },
      environmentVariables: { AWS_REGION: 'us-east-1' },
      agentRuntimeArtifact: { containerConfiguration: { containerUri: imageRef } },
    });
    expect(d.record(APP)).toMatchObject({ outcome: 'deployed', changes: [`UpdateAgentRuntime ${RUNTIME} (version 2)`] });
  });

  it('a runtime still UPDATING is waited for before an update; at the deadline the deploy fails in one line, no new version', async () => {
    await d.pushed(APP, 'agent three');
    const ran = await d.deploy(APP, ['--timeoutSeconds=2', '--pollSeconds=1']);
    expect(ran.exitCode).not.toBe(0);
    expect(output(ran)).toMatch(new RegExp(`AgentCore runtime ${RUNTIME} version 2 did not become READY \\(still UPDATING\\) after 2s`));
    expect(await versions()).toBe(2);
    expect(d.record(APP)).toMatchObject({ outcome: 'failed', changes: [] });
  });
});
