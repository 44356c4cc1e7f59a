// agentcore-deploy with mocked AgentCore/STS clients: create, update with the complete configuration, nothing when
// it already runs the digest, waits with deadlines, endpoints, the version cap and one-line refusals.
import {
  CreateAgentRuntimeCommand,
  CreateAgentRuntimeEndpointCommand,
  GetAgentRuntimeCommand,
  GetAgentRuntimeEndpointCommand,
  ListAgentRuntimesCommand,
  ResourceNotFoundException,
  UpdateAgentRuntimeCommand,
  UpdateAgentRuntimeEndpointCommand,
  type GetAgentRuntimeCommandOutput,
} from '@aws-sdk/client-bedrock-agentcore-control';
import { logger } from '@nx/devkit';
import 'aws-sdk-client-mock-jest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeployRecord } from '../../lib/records/deploy-record';
import {
  ACCOUNT,
  captureLogs,
  expectRefusedBeforeAws,
  deployWorkspace,
  fakeClock,
  fakeGit,
  IMAGE,
  mockedDeployAws,
  type Workspace,
} from '../../lib/deploy/deploy-test-support';
import { sleepFor } from '../../lib/deploy/poll';
import { agentcoreDeployExecutor, type AgentCoreDeployDeps } from './executor';
import type { AgentcoreDeployExecutorSchema } from './schema';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/agent-runtime`;
const CONFIG = {
  description: 'agent ({{environment}})',
  roleArn: '{{env.AGENTCORE_ROLE_ARN}}',
  networkConfiguration: { networkMode: 'PUBLIC' },
  protocolConfiguration: { serverProtocol: 'HTTP' },
  environmentVariables: { ENVIRONMENT: '{{environment}}', LOG_LEVEL: 'INFO' },
};
const NAME = 'shop_dev_agent';
const ID = 'shop_dev_agent-AbCdEf1234';

function runtime(
  version: string,
  status: GetAgentRuntimeCommandOutput['status'],
  image = IMAGE,
  extra: Partial<GetAgentRuntimeCommandOutput> = {},
): GetAgentRuntimeCommandOutput {
  return {
    $metadata: {},
    agentRuntimeId: ID,
    agentRuntimeName: NAME,
    agentRuntimeArn: `arn:aws:bedrock-agentcore:eu-west-1:${ACCOUNT}:runtime/${ID}`,
    agentRuntimeVersion: version,
    status,
    roleArn: ROLE,
    createdAt: new Date(),
    lastUpdatedAt: new Date(),
    networkConfiguration: { networkMode: 'PUBLIC' },
    protocolConfiguration: { serverProtocol: 'HTTP' },
    environmentVariables: { ENVIRONMENT: 'dev', LOG_LEVEL: 'INFO' },
    description: 'agent (dev)',
    lifecycleConfiguration: { idleRuntimeSessionTimeout: 900, maxLifetime: 28800 },
    agentRuntimeArtifact: { containerConfiguration: { containerUri: image } },
    ...extra,
  };
}
const OTHER_IMAGE = IMAGE.replace(/@sha256:d+/, `@sha256:${'e'.repeat(64)}`);

describe('agentcore-deploy executor', () => {
  let ws: Workspace;
  let aws: ReturnType<typeof mockedDeployAws>;
  let core: ReturnType<typeof mockedDeployAws>['agentCore'];
  let sts: ReturnType<typeof mockedDeployAws>['sts'];
  let logs: ReturnType<typeof captureLogs>;
  let clock: ReturnType<typeof fakeClock>;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    ws = deployWorkspace();
    ws.write('apps/agent/deploy/agentcore.json', CONFIG);
    aws = mockedDeployAws();
    ({ agentCore: core, sts } = aws);
    logs = captureLogs(logger);
    clock = fakeClock();
    env = { AGENTCORE_ROLE_ARN: ROLE };
    core.mock.on(ListAgentRuntimesCommand).resolves({ agentRuntimes: [] });
  });
  afterEach(() => logs.restore());

  const deps = (): AgentCoreDeployDeps => ({ run: fakeGit(), env, newScope: aws.newScope, sleep: clock.sleep, now: clock.now });
  const run = (options: AgentcoreDeployExecutorSchema = {}) => agentcoreDeployExecutor(options, ws.context, deps());
  const record = () => JSON.parse(readFileSync(join(ws.root, 'dist/images/apps/agent/deploy.json'), 'utf8')) as DeployRecord;
  const existing = () =>
    core.mock.on(ListAgentRuntimesCommand).resolves({
      agentRuntimes: [
        {
          agentRuntimeId: ID,
          agentRuntimeName: NAME,
          agentRuntimeArn: 'a',
          agentRuntimeVersion: '3',
          description: '',
          lastUpdatedAt: new Date(),
          status: 'READY',
        },
      ],
    });
  const writes = () =>
    core.mock.commandCalls(CreateAgentRuntimeCommand).length +
    core.mock.commandCalls(UpdateAgentRuntimeCommand).length +
    core.mock.commandCalls(CreateAgentRuntimeEndpointCommand).length +
    core.mock.commandCalls(UpdateAgentRuntimeEndpointCommand).length;

  it('creates a missing runtime with the image by digest and the rendered configuration, then waits for READY', async () => {
    core.mock.on(CreateAgentRuntimeCommand).resolves({
      agentRuntimeId: ID,
      agentRuntimeVersion: '1',
      agentRuntimeArn: 'arn:x',
      status: 'CREATING',
      createdAt: new Date(),
      workloadIdentityDetails: undefined,
    });
    core.mock.on(GetAgentRuntimeCommand).resolvesOnce(runtime('1', 'CREATING')).resolves(runtime('1', 'READY'));
    await expect(run()).resolves.toEqual({ success: true });
    expect(core.mock).toHaveReceivedCommandWith(CreateAgentRuntimeCommand, {
      agentRuntimeName: NAME,
      agentRuntimeArtifact: { containerConfiguration: { containerUri: IMAGE } },
      roleArn: ROLE,
      description: 'agent (dev)',
      networkConfiguration: { networkMode: 'PUBLIC' },
      protocolConfiguration: { serverProtocol: 'HTTP' },
      environmentVariables: { ENVIRONMENT: 'dev', LOG_LEVEL: 'INFO' },
    });
    expect(clock.sleeps).toEqual([5_000]);
    expect(record()).toMatchObject({
      outcome: 'deployed',
      image: IMAGE,
      changes: [`CreateAgentRuntime ${NAME} (version 1)`],
      agentCore: { runtimeName: NAME, runtimeId: ID, version: '1', status: 'READY' },
    });
  });

  it('does nothing when the runtime already runs this digest with this configuration', async () => {
    existing();
    core.mock.on(GetAgentRuntimeCommand).resolves(runtime('3', 'READY'));
    await expect(run()).resolves.toEqual({ success: true });
    expect(writes()).toBe(0);
    expect(record()).toMatchObject({ outcome: 'unchanged', changes: [], agentCore: { version: '3' } });
  });

  it('updates with the complete configuration: the file over what the runtime has, and this digest', async () => {
    existing();
    const current = runtime('3', 'READY', OTHER_IMAGE, {
      authorizerConfiguration: { customJWTAuthorizer: { discoveryUrl: 'https://idp/.well-known/openid-configuration' } },
    });
    core.mock.on(GetAgentRuntimeCommand).resolvesOnce(current).resolves(runtime('4', 'READY'));
    core.mock.on(UpdateAgentRuntimeCommand).resolves({
      agentRuntimeId: ID,
      agentRuntimeVersion: '4',
      agentRuntimeArn: 'arn:x',
      status: 'UPDATING',
      createdAt: new Date(),
      lastUpdatedAt: new Date(),
    });
    await expect(run()).resolves.toEqual({ success: true });
    expect(core.mock.commandCalls(UpdateAgentRuntimeCommand)[0]?.args[0].input).toEqual({
      agentRuntimeId: ID,
      agentRuntimeArtifact: { containerConfiguration: { containerUri: IMAGE } },
      roleArn: ROLE,
      description: 'agent (dev)',
      networkConfiguration: { networkMode: 'PUBLIC' },
      protocolConfiguration: { serverProtocol: 'HTTP' },
      environmentVariables: { ENVIRONMENT: 'dev', LOG_LEVEL: 'INFO' },
      lifecycleConfiguration: { idleRuntimeSessionTimeout: 900, maxLifetime: 28800 },
      authorizerConfiguration: { customJWTAuthorizer: { discoveryUrl: 'https://idp/.well-known/openid-configuration' } },
    });
    expect(record()).toMatchObject({
      outcome: 'deployed',
      changes: [`UpdateAgentRuntime ${NAME} (version 4)`],
      agentCore: { version: '4', status: 'READY' },
    });
  });

  it('updates when only the configuration changed (a variable removed from the file leaves the runtime too)', async () => {
    existing();
    core.mock
      .on(GetAgentRuntimeCommand)
      .resolvesOnce(runtime('3', 'READY', IMAGE, { environmentVariables: { ENVIRONMENT: 'dev', LOG_LEVEL: 'INFO', OLD: '1' } }))
      .resolves(runtime('4', 'READY'));
    core.mock.on(UpdateAgentRuntimeCommand).resolves({
      agentRuntimeId: ID,
      agentRuntimeVersion: '4',
      agentRuntimeArn: 'a',
      status: 'UPDATING',
      createdAt: new Date(),
      lastUpdatedAt: new Date(),
    });
    await expect(run()).resolves.toEqual({ success: true });
    expect(core.mock).toHaveReceivedCommandWith(UpdateAgentRuntimeCommand, {
      environmentVariables: { ENVIRONMENT: 'dev', LOG_LEVEL: 'INFO' },
    });
  });

  it('refuses an update past the cap of 1000 versions, before writing', async () => {
    existing();
    core.mock.on(GetAgentRuntimeCommand).resolves(runtime('1000', 'READY', OTHER_IMAGE));
    await expect(run()).resolves.toEqual({ success: false });
    expect(logs.errors()[0]).toMatch(/^AgentCore runtime shop_dev_agent has 1000 versions, AgentCore's cap of 1000/);
    expect(writes()).toBe(0);
  });

  it('an update that never becomes READY fails at the deadline with the status it last saw', async () => {
    existing();
    core.mock
      .on(GetAgentRuntimeCommand)
      .resolvesOnce(runtime('3', 'READY', OTHER_IMAGE))
      .resolves(runtime('4', 'UPDATING'));
    core.mock.on(UpdateAgentRuntimeCommand).resolves({
      agentRuntimeId: ID,
      agentRuntimeVersion: '4',
      agentRuntimeArn: 'a',
      status: 'UPDATING',
      createdAt: new Date(),
      lastUpdatedAt: new Date(),
    });
    await expect(run({ timeoutSeconds: 30 })).resolves.toEqual({ success: false });
    expect(logs.errors()).toEqual([
      `AgentCore runtime ${NAME} version 4 did not become READY (still UPDATING) after 30s ` +
        '(the deadline; raise timeoutSeconds to wait longer)',
    ]);
    expect(record()).toMatchObject({ outcome: 'failed', changes: [`UpdateAgentRuntime ${NAME} (version 4)`] });
  });

  it('Ctrl-C ends a wait at once: one line, deploy.json failed, the AWS calls got the aborted signal, listeners removed', async () => {
    existing();
    core.mock
      .on(GetAgentRuntimeCommand)
      .resolvesOnce(runtime('3', 'READY', OTHER_IMAGE))
      .resolves(runtime('4', 'UPDATING'));
    core.mock.on(UpdateAgentRuntimeCommand).resolves({
      agentRuntimeId: ID,
      agentRuntimeVersion: '4',
      agentRuntimeArn: 'a',
      status: 'UPDATING',
      createdAt: new Date(),
      lastUpdatedAt: new Date(),
    });
    const interrupted: AgentCoreDeployDeps = {
      ...deps(),
      sleep: (ms, signal) => {
        aws.signals.emit('SIGINT');
        return sleepFor(ms, signal);
      },
    };
    await expect(agentcoreDeployExecutor({}, ws.context, interrupted)).resolves.toEqual({ success: false });
    expect(logs.errors()).toEqual(['agentcore-deploy of agent canceled.']);
    expect(record()).toMatchObject({
      outcome: 'failed',
      error: 'agentcore-deploy of agent canceled.',
      changes: [`UpdateAgentRuntime ${NAME} (version 4)`],
    });
    const signal = (core.mock.commandCalls(GetAgentRuntimeCommand)[0]?.args as unknown[])[1] as { abortSignal: AbortSignal };
    expect(signal.abortSignal.aborted).toBe(true);
    expect([aws.signals.listenerCount('SIGINT'), aws.signals.listenerCount('SIGTERM')]).toEqual([0, 0]);
  });

  it("UPDATE_FAILED ends the wait at once with AgentCore's reason", async () => {
    existing();
    core.mock
      .on(GetAgentRuntimeCommand)
      .resolvesOnce(runtime('3', 'READY', OTHER_IMAGE))
      .resolves(runtime('4', 'UPDATE_FAILED', IMAGE, { failureReason: 'image not found' }));
    core.mock.on(UpdateAgentRuntimeCommand).resolves({
      agentRuntimeId: ID,
      agentRuntimeVersion: '4',
      agentRuntimeArn: 'a',
      status: 'UPDATING',
      createdAt: new Date(),
      lastUpdatedAt: new Date(),
    });
    await expect(run()).resolves.toEqual({ success: false });
    expect(logs.errors()).toEqual([`AgentCore runtime ${NAME} (version 4) is UPDATE_FAILED: image not found.`]);
    expect(clock.sleeps).toEqual([]);
  });

  it('waits for a runtime still UPDATING before updating it again', async () => {
    existing();
    core.mock
      .on(GetAgentRuntimeCommand)
      .resolvesOnce(runtime('3', 'UPDATING', OTHER_IMAGE))
      .resolvesOnce(runtime('3', 'READY', OTHER_IMAGE))
      .resolves(runtime('4', 'READY'));
    core.mock.on(UpdateAgentRuntimeCommand).resolves({
      agentRuntimeId: ID,
      agentRuntimeVersion: '4',
      agentRuntimeArn: 'a',
      status: 'UPDATING',
      createdAt: new Date(),
      lastUpdatedAt: new Date(),
    });
    await expect(run()).resolves.toEqual({ success: true });
    expect(core.mock).toHaveReceivedCommandTimes(UpdateAgentRuntimeCommand, 1);
  });

  it('moves a named endpoint to the new version and waits until it serves it; creates it when missing', async () => {
    existing();
    core.mock
      .on(GetAgentRuntimeCommand)
      .resolvesOnce(runtime('3', 'READY', OTHER_IMAGE))
      .resolves(runtime('4', 'READY'));
    core.mock.on(UpdateAgentRuntimeCommand).resolves({
      agentRuntimeId: ID,
      agentRuntimeVersion: '4',
      agentRuntimeArn: 'a',
      status: 'UPDATING',
      createdAt: new Date(),
      lastUpdatedAt: new Date(),
    });
    const endpoint = {
      $metadata: {},
      name: 'prod',
      id: 'e',
      agentRuntimeArn: 'a',
      agentRuntimeEndpointArn: 'e',
      createdAt: new Date(),
      lastUpdatedAt: new Date(),
    };
    core.mock
      .on(GetAgentRuntimeEndpointCommand)
      .resolvesOnce({ ...endpoint, status: 'READY', liveVersion: '3', targetVersion: '3' })
      .resolvesOnce({ ...endpoint, status: 'UPDATING', liveVersion: '3', targetVersion: '4' })
      .resolves({ ...endpoint, status: 'READY', liveVersion: '4', targetVersion: '4' });
    await expect(run({ endpointName: 'prod' })).resolves.toEqual({ success: true });
    expect(core.mock).toHaveReceivedCommandWith(UpdateAgentRuntimeEndpointCommand, {
      agentRuntimeId: ID,
      endpointName: 'prod',
      agentRuntimeVersion: '4',
    });
    expect(record()).toMatchObject({
      changes: [`UpdateAgentRuntime ${NAME} (version 4)`, 'UpdateAgentRuntimeEndpoint prod → version 4'],
      agentCore: { endpoint: 'prod', endpointVersion: '4' },
    });

    core.mock.reset();
    existing();
    core.mock.on(GetAgentRuntimeCommand).resolves(runtime('4', 'READY'));
    core.mock
      .on(GetAgentRuntimeEndpointCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'no endpoint', $metadata: {} }))
      .resolves({ ...endpoint, status: 'READY', liveVersion: '4', targetVersion: '4' });
    await expect(run({ endpointName: 'staging' })).resolves.toEqual({ success: true });
    expect(core.mock).toHaveReceivedCommandWith(CreateAgentRuntimeEndpointCommand, {
      agentRuntimeId: ID,
      name: 'staging',
      agentRuntimeVersion: '4',
    });
  });

  it('dryRun reads and writes nothing', async () => {
    existing();
    core.mock.on(GetAgentRuntimeCommand).resolves(runtime('3', 'READY', OTHER_IMAGE));
    await expect(run({ dryRun: true })).resolves.toEqual({ success: true });
    expect(writes()).toBe(0);
    expect(logs.all()).toContain(`runtime ${NAME}: would update it (version 3 → a new version)`);
    expect(record().outcome).toBe('dry-run');
  });

  it('maps hyphens in the names to underscores; runtimeName and the roleArn option win over the defaults and the file', async () => {
    core.mock.on(CreateAgentRuntimeCommand).resolves({
      agentRuntimeId: ID,
      agentRuntimeVersion: '1',
      agentRuntimeArn: 'a',
      status: 'CREATING',
      createdAt: new Date(),
      workloadIdentityDetails: undefined,
    });
    core.mock.on(GetAgentRuntimeCommand).resolves(runtime('1', 'READY'));
    const role = `arn:aws:iam::${ACCOUNT}:role/other`;
    await expect(run({ runtimeName: 'my-agent-v2', roleArn: role })).resolves.toEqual({ success: true });
    expect(core.mock).toHaveReceivedCommandWith(CreateAgentRuntimeCommand, { agentRuntimeName: 'my_agent_v2', roleArn: role });
  });

  describe('bad input fails in one line before any AWS call', () => {
    test.each<[string, (w: Workspace, e: NodeJS.ProcessEnv) => void, AgentcoreDeployExecutorSchema, RegExp]>([
      [
        'a missing configuration file',
        () => undefined,
        { config: 'apps/agent/none.json' },
        /^No deploy file at apps\/agent\/none\.json: nx g agent-service writes one/,
      ],
      [
        'invalid JSON',
        (w) => w.write('apps/agent/deploy/agentcore.json', '{"roleArn": }'),
        {},
        /^apps\/agent\/deploy\/agentcore\.json is not valid JSON \(/,
      ],
      [
        'a runtime name that cannot map',
        () => undefined,
        { runtimeName: 'agent.v2' },
        /^Runtime name "agent\.v2" \(the runtimeName option\) cannot be .* "\." is not allowed\. Set runtimeName\.$/,
      ],
      ['a runtime name that starts with a digit', () => undefined, { projectName: '9shop' }, /must start with a letter/],
      ['a runtime name over 48 characters', () => undefined, { service: 'a'.repeat(40) }, /it is 49 characters long, at most 48/],
      [
        'a missing roleArn',
        (w) => w.write('apps/agent/deploy/agentcore.json', { ...CONFIG, roleArn: undefined }),
        {},
        /^No roleArn: apps\/agent\/deploy\/agentcore\.json has none; set roleArn in the file or pass --roleArn/,
      ],
      [
        'a roleArn whose variable is unset',
        (_w, e) => delete e['AGENTCORE_ROLE_ARN'],
        {},
        /^No roleArn: apps\/agent\/deploy\/agentcore\.json takes it from AGENTCORE_ROLE_ARN, which is not set; export AGENTCORE_ROLE_ARN=/,
      ],
      [
        'a roleArn that is no role ARN',
        () => undefined,
        { roleArn: 'agent-role' },
        /^roleArn "agent-role" \(--roleArn\) is not an IAM role ARN/,
      ],
      [
        'agentRuntimeArtifact in the file',
        (w) => w.write('apps/agent/deploy/agentcore.json', { ...CONFIG, agentRuntimeArtifact: {} }),
        {},
        /unknown key\(s\) agentRuntimeArtifact \(the container URI is always this run's/,
      ],
      [
        'a missing networkConfiguration',
        (w) => w.write('apps/agent/deploy/agentcore.json', { ...CONFIG, networkConfiguration: undefined }),
        {},
        /"networkConfiguration" is missing/,
      ],
      ['a dry-run push record', (w) => w.pushRecord({ outcome: 'dry-run' }), {}, /records a dry run, which pushed nothing/],
      ['a record from another commit', (w) => w.pushRecord({ gitSha: '0000000' }), {}, /was written at commit 0000000/],
    ])('%s', async (_name, arrange, options, message) => {
      arrange(ws, env);
      await expect(run(options)).resolves.toEqual({ success: false });
      expectRefusedBeforeAws(logs.errors(), message, sts.mock.calls().length + core.mock.calls().length, record());
    });
  });
});
