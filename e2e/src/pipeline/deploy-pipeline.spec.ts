// Generate → build (real engine, QEMU) → push to local-ecr → deploy to moto, in a scratch copy of this workspace:
// each SDK client goes to its own server (ECR and STS to local-ecr; ECS and AgentCore to moto, through
// AWS_ENDPOINT_URL_ECS and AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL). After a one-service change, `nx affected
// -t deploy` rolls out exactly that service, and revisions and versions are counted to prove nothing else moved.
// moto neither completes ECS rollouts nor finishes AgentCore updates, so updates run with --wait=false here; the
// waits are proven in e2e/src/deploy (deadlines, READY after create) and the unit specs.
import {
  BedrockAgentCoreControlClient,
  GetAgentRuntimeCommand,
  ListAgentRuntimesCommand,
  ListAgentRuntimeVersionsCommand,
} from '@aws-sdk/client-bedrock-agentcore-control';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';
import { useLocalEcr } from '../support/local-ecr';
import { useMoto } from '../support/moto';
import { DEPLOY_VARIABLES } from '../deploy/deploy-harness';
import { Pipeline } from './pipeline-harness';

const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const AGENT = `e2e-ac-${suffix}`;
const ECS_SVC = `e2e-ecs-${suffix}`;
const repo = (name: string) => `e2e-dev-${name}`;
const FAMILY = `e2e-${ECS_SVC}`;
const RUNTIME = `e2e_dev_${AGENT.replace(/-/g, '_')}`;

describe('pipeline: nx g → docker-build → ecr-push to local-ecr → deploy to moto (ECS and AgentCore)', () => {
  const localEcr = useLocalEcr();
  const moto = useMoto();
  let p: Pipeline;
  let ecs: ECSClient;
  let core: BedrockAgentCoreControlClient;
  const deployEnv = () => ({
    AWS_ENDPOINT_URL_ECS: moto().endpoint,
    AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL: moto().endpoint,
    ...DEPLOY_VARIABLES,
  });
  const nx = (args: string[]) => p.mustNx(args, { env: deployEnv() });
  const revisions = async () => (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: FAMILY }))).taskDefinitionArns?.length ?? 0;
  const runtimeId = async () =>
    (await core.send(new ListAgentRuntimesCommand({}))).agentRuntimes?.find((r) => r.agentRuntimeName === RUNTIME)
      ?.agentRuntimeId as string;
  const versions = async () =>
    (await core.send(new ListAgentRuntimeVersionsCommand({ agentRuntimeId: await runtimeId() }))).agentRuntimes?.length ?? 0;
  const ecrDigest = async (name: string) => (await p.describe(repo(name), p.buildRecord(name)!.contentTag)).imageDigest;
  const registryHost = () => localEcr().registryHost;

  /** The image the ECS service's latest revision and the AgentCore runtime reference, and what ECR holds. */
  async function expectDeployedByDigest(name: string, deployed: () => Promise<string | undefined>) {
    const digest = await ecrDigest(name);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(p.pushRecord(name)?.digest).toBe(digest);
    expect(await deployed()).toBe(`${registryHost()}/${repo(name)}@${digest}`);
  }
  const ecsImage = async () =>
    (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: FAMILY }))).taskDefinition?.containerDefinitions?.[0]?.image;
  const runtimeImage = async () =>
    (await core.send(new GetAgentRuntimeCommand({ agentRuntimeId: await runtimeId() }))).agentRuntimeArtifact?.containerConfiguration
      ?.containerUri;
  const serviceTaskDefinition = async () =>
    (await ecs.send(new DescribeServicesCommand({ cluster: 'e2e', services: [ECS_SVC] }))).services?.[0]?.taskDefinition;

  beforeAll(async () => {
    p = new Pipeline(localEcr);
    const client = { endpoint: moto().endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    ecs = new ECSClient(client);
    core = new BedrockAgentCoreControlClient(client);
    await ecs.send(new CreateClusterCommand({ clusterName: 'e2e' }));
    await ecs.send(new CreateServiceCommand({ cluster: 'e2e', serviceName: ECS_SVC, desiredCount: 1, launchType: 'FARGATE' }));
  });
  afterAll(() => {
    for (const name of [AGENT, ECS_SVC]) p?.removeLocalImages(name, p.pushRecord(name)?.repositoryUri);
    p?.dispose();
  });

  it('1. generates an AgentCore service and an ECS service, each with its deploy file and a deploy target', async () => {
    await p.generate(AGENT, 'aws-agent-core');
    await p.generate(ECS_SVC, 'langgraph');
    expect(p.ws.exists(`apps/${AGENT}/deploy/agentcore.json`)).toBe(true);
    expect(p.ws.exists(`apps/${ECS_SVC}/deploy/ecs/task-definition.json`)).toBe(true);
    const projectFile = `apps/${ECS_SVC}/project.json`;
    const project = p.ws.readJson<{ targets: Record<string, { executor?: string; options?: Record<string, unknown> }> }>(projectFile);
    expect(project.targets['deploy']?.executor).toBe('nx-agent-ecr:ecs-deploy');
    // moto never completes a rollout: this service's deploys update it without waiting.
    project.targets['deploy']!.options = { cluster: 'e2e', service: ECS_SVC, wait: false };
    p.ws.write(projectFile, `${JSON.stringify(project, null, 2)}\n`);
    p.ws.commitAll('an AgentCore service and an ECS service');
  });

  it('2. nx run-many -t deploy builds, pushes, deploys both by the digest ECR reports: ECS revision 1, runtime version 1', async () => {
    await nx(['run-many', '-t', 'deploy', '-p', `${AGENT},${ECS_SVC}`]);
    expect(await revisions()).toBe(1);
    await expectDeployedByDigest(ECS_SVC, ecsImage);
    expect(await serviceTaskDefinition()).toMatch(new RegExp(`task-definition/${FAMILY}:1$`));
    expect(await versions()).toBe(1);
    await expectDeployedByDigest(AGENT, runtimeImage);
    expect((await core.send(new GetAgentRuntimeCommand({ agentRuntimeId: await runtimeId() }))).status).toBe('READY');
    expect(p.ws.readJson<{ outcome: string }>(`dist/images/apps/${AGENT}/deploy.json`).outcome).toBe('deployed');
  });

  it('3. after a change to the ECS service, nx affected -t deploy registers and rolls out only it; no runtime version', async () => {
    p.ws.write(`apps/${ECS_SVC}/src/app/__init__.py`, `${p.ws.read(`apps/${ECS_SVC}/src/app/__init__.py`)}# changed by the e2e suite\n`);
    p.ws.commitAll(`change ${ECS_SVC}`);
    p.clearRecords();
    p.shim.reset();
    await nx(['affected', '-t', 'deploy', '--base=HEAD~1', '--head=HEAD', '--wait=false']);
    expect(p.shim.callsOf('buildx', 'build')).toHaveLength(1);
    expect(await revisions()).toBe(2);
    await expectDeployedByDigest(ECS_SVC, ecsImage);
    expect(await serviceTaskDefinition()).toMatch(new RegExp(`task-definition/${FAMILY}:2$`));
    expect(await versions()).toBe(1);
    expect(p.ws.exists(`dist/images/apps/${AGENT}/deploy.json`)).toBe(false);
  });

  it('4. after a change to the AgentCore service, only it gets a new version; the ECS family gets no revision', async () => {
    p.ws.write(`apps/${AGENT}/src/app/__init__.py`, `${p.ws.read(`apps/${AGENT}/src/app/__init__.py`)}# changed by the e2e suite\n`);
    p.ws.commitAll(`change ${AGENT}`);
    p.clearRecords();
    p.shim.reset();
    await nx(['affected', '-t', 'deploy', '--base=HEAD~1', '--head=HEAD', '--wait=false']);
    expect(p.shim.callsOf('buildx', 'build')).toHaveLength(1);
    expect(await versions()).toBe(2);
    await expectDeployedByDigest(AGENT, runtimeImage);
    expect(await revisions()).toBe(2);
    expect(p.ws.exists(`dist/images/apps/${ECS_SVC}/deploy.json`)).toBe(false);
  });

  it('5. nx run-many -t deploy with nothing changed builds nothing and makes no revision and no version', async () => {
    p.clearRecords();
    p.shim.reset();
    await nx(['run-many', '-t', 'deploy', '-p', `${AGENT},${ECS_SVC}`, '--wait=false']);
    expect(p.shim.callsOf('buildx', 'build')).toEqual([]);
    expect(await revisions()).toBe(2);
    expect(await versions()).toBe(2);
    for (const name of [AGENT, ECS_SVC])
      expect(p.ws.readJson<{ outcome: string }>(`dist/images/apps/${name}/deploy.json`).outcome).toBe('unchanged');
  });
});
