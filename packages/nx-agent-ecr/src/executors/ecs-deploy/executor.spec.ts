// ecs-deploy with mocked ECS/STS clients: what it registers and updates, what it waits for, what it refuses before
// any AWS call, and what deploy.json says afterwards.
import {
  ClientException,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSServiceException,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { logger } from '@nx/devkit';
import 'aws-sdk-client-mock-jest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DeployRecord } from '../../lib/deploy/deploy-record';
import { ACCOUNT, captureLogs, expectRefusedBeforeAws, deployWorkspace, fakeClock, fakeGit, IMAGE, mockedEcs, mockedSts, SECRET_KEY, type Workspace } from '../../lib/deploy/deploy-test-support';
import { ecsDeployExecutor, type EcsDeployDeps } from './executor';
import type { EcsDeployExecutorSchema } from './schema';

const TEMPLATE = {
  family: '{{projectName}}-{{service}}',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '512',
  memory: '1024',
  runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
  executionRoleArn: 'arn:aws:iam::{{accountId}}:role/ecsTaskExecutionRole',
  containerDefinitions: [
    {
      name: 'agent',
      image: '{{image}}',
      portMappings: [{ containerPort: 8001, protocol: 'tcp' }],
      environment: [{ name: 'ENVIRONMENT', value: '{{environment}}' }, { name: 'A', value: '1' }],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/{{projectName}}-{{environment}}-{{service}}', 'awslogs-region': '{{region}}' } },
    },
  ],
};
const FAMILY = 'shop-agent';
const arn = (revision: number) => `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/${FAMILY}:${revision}`;

/** The rendered template as ECS describes it: its own keys and defaults added, environment reordered. */
function described(revision: number, image = IMAGE): TaskDefinition {
  return {
    ...TEMPLATE,
    family: FAMILY,
    taskDefinitionArn: arn(revision),
    revision,
    status: 'ACTIVE' as const,
    compatibilities: ['EC2', 'FARGATE'] as ('EC2' | 'FARGATE')[],
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
    registeredAt: new Date(),
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    containerDefinitions: [
      {
        ...TEMPLATE.containerDefinitions[0],
        image,
        cpu: 0,
        essential: true,
        mountPoints: [],
        volumesFrom: [],
        portMappings: [{ containerPort: 8001, hostPort: 8001, protocol: 'tcp' as const }],
        environment: [{ name: 'A', value: '1' }, { name: 'ENVIRONMENT', value: 'dev' }],
        logConfiguration: { logDriver: 'awslogs' as const, options: { 'awslogs-group': '/ecs/shop-dev-agent', 'awslogs-region': 'eu-west-1' } },
      },
    ],
  } as TaskDefinition;
}

const notFound = () => new ClientException({ message: 'Unable to describe task definition.', $metadata: {} });
const service = (taskDefinition: string, deployments: Service['deployments'] = [], events: Service['events'] = []): { services: Service[] } => ({
  services: [{ serviceName: 'agent', status: 'ACTIVE', taskDefinition, deployments, events }],
});
const deployment = (taskDefinition: string, rolloutState?: 'COMPLETED' | 'FAILED' | 'IN_PROGRESS', counts = { runningCount: 1, desiredCount: 2 }) => ({
  id: `ecs-svc/${taskDefinition.slice(-1)}`,
  status: 'PRIMARY',
  taskDefinition,
  ...(rolloutState ? { rolloutState, rolloutStateReason: `deployment ${rolloutState.toLowerCase()}` } : {}),
  ...counts,
});

describe('ecs-deploy executor', () => {
  let ws: Workspace;
  let ecs: ReturnType<typeof mockedEcs>;
  let sts: ReturnType<typeof mockedSts>;
  let logs: ReturnType<typeof captureLogs>;
  let clock: ReturnType<typeof fakeClock>;
  const env = { AWS_SECRET_ACCESS_KEY: SECRET_KEY };

  beforeEach(() => {
    ws = deployWorkspace();
    ws.write('apps/agent/deploy/ecs/task-definition.json', TEMPLATE);
    ecs = mockedEcs();
    sts = mockedSts();
    logs = captureLogs(logger);
    clock = fakeClock();
    ecs.mock.on(RegisterTaskDefinitionCommand).callsFake((input) => ({ taskDefinition: { ...input, taskDefinitionArn: arn(2), revision: 2 } }));
  });
  afterEach(() => logs.restore());

  const deps = (): EcsDeployDeps => ({ run: fakeGit(), env, aws: () => ({ ecs: ecs.ecs, sts: sts.sts, region: async () => 'eu-west-1' }), sleep: clock.sleep, now: clock.now });
  const run = (options: EcsDeployExecutorSchema = {}) => ecsDeployExecutor(options, ws.context, deps());
  const record = () => JSON.parse(readFileSync(join(ws.root, 'dist/images/apps/agent/deploy.json'), 'utf8')) as DeployRecord;
  const awsWrites = () => ecs.mock.commandCalls(RegisterTaskDefinitionCommand).length + ecs.mock.commandCalls(UpdateServiceCommand).length;

  it('registers the first revision with the image by digest and every placeholder filled in', async () => {
    ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    await expect(run()).resolves.toEqual({ success: true });
    const input = ecs.mock.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ family: FAMILY, executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`, runtimePlatform: { cpuArchitecture: 'ARM64' } });
    expect(input?.containerDefinitions?.[0]).toMatchObject({ image: IMAGE, logConfiguration: { options: { 'awslogs-group': '/ecs/shop-dev-agent', 'awslogs-region': 'eu-west-1' } } });
    expect(JSON.stringify(input)).not.toMatch(/\{\{|:latest/);
    expect(record()).toMatchObject({ outcome: 'deployed', image: IMAGE, changes: [`RegisterTaskDefinition ${FAMILY}:2`], ecs: { taskDefinitionArn: arn(2), revision: 2 } });
    expect(ecs.mock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('registers nothing when the latest active revision is the rendered definition (ECS defaults and order aside)', async () => {
    ecs.mock.on(DescribeTaskDefinitionCommand, { taskDefinition: FAMILY }).resolves({ taskDefinition: described(7) });
    await expect(run()).resolves.toEqual({ success: true });
    expect(ecs.mock).not.toHaveReceivedCommand(RegisterTaskDefinitionCommand);
    expect(record()).toMatchObject({ outcome: 'unchanged', changes: [], ecs: { taskDefinitionArn: arn(7) } });
  });

  it('registers a new revision when the latest one runs another digest', async () => {
    ecs.mock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(1, IMAGE.replace(/@sha256:d+/, `@sha256:${'e'.repeat(64)}`)) });
    await expect(run()).resolves.toEqual({ success: true });
    expect(ecs.mock).toHaveReceivedCommandTimes(RegisterTaskDefinitionCommand, 1);
  });

  it('updates the service to the new revision and waits until its deployment is COMPLETED', async () => {
    ecs.mock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(1, 'old@sha256:0') });
    ecs.mock
      .on(DescribeServicesCommand)
      .resolvesOnce(service(arn(1), [deployment(arn(1), 'COMPLETED')]))
      .resolvesOnce(service(arn(2), [deployment(arn(2), 'IN_PROGRESS'), { ...deployment(arn(1), 'COMPLETED'), status: 'ACTIVE' }]))
      .resolves(service(arn(2), [deployment(arn(2), 'COMPLETED')]));
    await expect(run({ cluster: 'shop', service: 'agent' })).resolves.toEqual({ success: true });
    expect(ecs.mock).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: 'shop', service: 'agent', taskDefinition: arn(2) });
    expect(clock.sleeps).toEqual([10_000]);
    expect(record()).toMatchObject({ outcome: 'deployed', changes: [`RegisterTaskDefinition ${FAMILY}:2`, 'UpdateService shop/agent'], ecs: { cluster: 'shop', service: 'agent', rolloutState: 'COMPLETED', deploymentId: 'ecs-svc/2' } });
  });

  it('without rolloutState, waits until the new deployment runs its desired count', async () => {
    ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    ecs.mock
      .on(DescribeServicesCommand)
      .resolvesOnce(service(arn(1)))
      .resolvesOnce(service(arn(2), [deployment(arn(2), undefined, { runningCount: 1, desiredCount: 2 })]))
      .resolves(service(arn(2), [deployment(arn(2), undefined, { runningCount: 2, desiredCount: 2 })]));
    await expect(run({ cluster: 'shop', service: 'agent', pollSeconds: 3 })).resolves.toEqual({ success: true });
    expect(clock.sleeps).toEqual([3_000]);
    expect(record().ecs?.rolloutState).toBe('running = desired');
  });

  it('a re-run after a completed rollout changes nothing and returns at once', async () => {
    ecs.mock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(2) });
    ecs.mock.on(DescribeServicesCommand).resolves(service(arn(2), [deployment(arn(2), 'COMPLETED')]));
    await expect(run({ cluster: 'shop', service: 'agent' })).resolves.toEqual({ success: true });
    expect(awsWrites()).toBe(0);
    expect(record()).toMatchObject({ outcome: 'unchanged', changes: [] });
  });

  it('with wait: false, updates the service and does not poll', async () => {
    ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    ecs.mock.on(DescribeServicesCommand).resolves(service(arn(1)));
    await expect(run({ cluster: 'shop', service: 'agent', wait: false })).resolves.toEqual({ success: true });
    expect(ecs.mock).toHaveReceivedCommandTimes(DescribeServicesCommand, 1);
    expect(ecs.mock).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
  });

  it('a FAILED rollout fails in one line, prints the last service events under it, and deploy.json keeps them', async () => {
    ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    const events = [
      { createdAt: new Date('2026-11-28T10:00:02Z'), message: '(service agent) deployment failed: tasks failed to start.' },
      { createdAt: new Date('2026-11-28T10:00:01Z'), message: '(service agent) has started 1 tasks.' },
    ];
    ecs.mock
      .on(DescribeServicesCommand)
      .resolvesOnce(service(arn(1)))
      .resolves(service(arn(2), [{ ...deployment(arn(2), 'FAILED'), rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }], events));
    await expect(run({ cluster: 'shop', service: 'agent' })).resolves.toEqual({ success: false });
    const [error] = logs.errors();
    expect(error?.split('\n')[0]).toBe(`The rollout of ${FAMILY}:2 on shop/agent failed: ECS deployment circuit breaker: tasks failed to start.`);
    expect(error).toContain('Last service events:\n  2026-11-28T10:00:02.000Z (service agent) deployment failed: tasks failed to start.');
    expect(record()).toMatchObject({ outcome: 'failed', changes: [`RegisterTaskDefinition ${FAMILY}:2`, 'UpdateService shop/agent'], events: [expect.stringContaining('deployment failed'), expect.stringContaining('started 1 tasks')] });
  });

  it('a rollout still in progress at the deadline fails with what it last saw', async () => {
    ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    ecs.mock.on(DescribeServicesCommand).resolvesOnce(service(arn(1))).resolves(service(arn(2), [deployment(arn(2), 'IN_PROGRESS')], [{ message: 'waiting' }]));
    await expect(run({ cluster: 'shop', service: 'agent', timeoutSeconds: 60, pollSeconds: 10 })).resolves.toEqual({ success: false });
    expect(logs.errors()[0]?.split('\n')[0]).toBe(`The rollout of ${FAMILY}:2 on shop/agent did not complete (rolloutState IN_PROGRESS, 1/2 tasks running) after 60s (the deadline; raise timeoutSeconds to wait longer).`);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(record()).toMatchObject({ outcome: 'failed', events: [expect.stringContaining('waiting')] });
  });

  it('fills {{image:<project>}} with that project\'s pushed digest, checked like this project\'s', async () => {
    const workerDigest = `sha256:${'f'.repeat(64)}`;
    const workerUri = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/shop-dev-agent-worker`;
    ws.context.projectsConfigurations.projects['agent-worker'] = { root: 'apps/agent/worker', targets: {} };
    ws.write('dist/images/apps/agent/worker/build.json', readFileSync(join(ws.root, 'dist/images/apps/agent/build.json'), 'utf8'));
    const push = JSON.parse(readFileSync(join(ws.root, 'dist/images/apps/agent/ecr-push.json'), 'utf8'));
    ws.write('dist/images/apps/agent/worker/ecr-push.json', { ...push, project: 'agent-worker', repositoryName: 'shop-dev-agent-worker', repositoryUri: workerUri, digest: workerDigest });
    const worker = { ...TEMPLATE.containerDefinitions[0], name: 'worker', image: '{{image:agent-worker}}' };
    ws.write('apps/agent/deploy/ecs/task-definition.json', { ...TEMPLATE, containerDefinitions: [...TEMPLATE.containerDefinitions, worker] });
    ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    await expect(run()).resolves.toEqual({ success: true });
    const input = ecs.mock.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input;
    expect(input?.containerDefinitions?.map((c) => c.image)).toEqual([IMAGE, `${workerUri}@${workerDigest}`]);

    ws.write('dist/images/apps/agent/worker/ecr-push.json', { ...push, project: 'agent-worker', repositoryName: 'shop-dev-agent-worker', repositoryUri: workerUri, digest: workerDigest, outcome: 'dry-run' });
    await expect(run()).resolves.toEqual({ success: false });
    expect(logs.errors().at(-1)).toMatch(/^dist\/images\/apps\/agent\/worker\/ecr-push\.json records a dry run.*nx run agent-worker:ecr-push -c dev/);
    ws.write('apps/agent/deploy/ecs/task-definition.json', { ...TEMPLATE, containerDefinitions: [...TEMPLATE.containerDefinitions, { ...worker, image: '{{image:nope}}' }] });
    await expect(run()).resolves.toEqual({ success: false });
    expect(logs.errors().at(-1)).toBe('apps/agent/deploy/ecs/task-definition.json: {{image:nope}} names no project of this workspace; use an Nx project that has an ecr-push target.');
    expect(ecs.mock).toHaveReceivedCommandTimes(RegisterTaskDefinitionCommand, 1);
  });

  it('refuses a missing service before registering anything', async () => {
    ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    ecs.mock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'x', reason: 'MISSING' }] });
    await expect(run({ cluster: 'shop', service: 'agent' })).resolves.toEqual({ success: false });
    expect(logs.errors()).toEqual(['ECS service "agent" in cluster "shop" does not exist: create the service (the deploy only updates it), or fix the service option.']);
    expect(awsWrites()).toBe(0);
  });

  it('dryRun prints the plan and registers and updates nothing', async () => {
    ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    ecs.mock.on(DescribeServicesCommand).resolves(service(arn(1)));
    await expect(run({ cluster: 'shop', service: 'agent', dryRun: true })).resolves.toEqual({ success: true });
    expect(awsWrites()).toBe(0);
    expect(logs.all()).toContain(`task definition ${FAMILY}: would register a new revision`);
    expect(record().outcome).toBe('dry-run');
  });

  it('never prints the secret key, even when an AWS error quotes it', async () => {
    sts.mock.on(GetCallerIdentityCommand).rejects(new ECSServiceException({ name: 'SignatureDoesNotMatch', message: `signature for ${SECRET_KEY} does not match`, $fault: 'client', $metadata: {} }));
    await expect(run()).resolves.toEqual({ success: false });
    expect(logs.all()).toContain('***');
    expect(logs.all()).not.toContain(SECRET_KEY);
    expect(readFileSync(join(ws.root, 'dist/images/apps/agent/deploy.json'), 'utf8')).not.toContain(SECRET_KEY);
  });

  describe('bad input fails in one line before any AWS call', () => {
    test.each<[string, (w: Workspace) => void, EcsDeployExecutorSchema, RegExp]>([
      ['a missing template file', () => undefined, { taskDefinition: 'apps/agent/deploy/ecs/none.json' }, /^No deploy file at apps\/agent\/deploy\/ecs\/none\.json: /],
      ['invalid JSON, with line and column', (w) => w.write('apps/agent/deploy/ecs/task-definition.json', '{\n  "family": "x",\n}'), {}, /^apps\/agent\/deploy\/ecs\/task-definition\.json is not valid JSON \(.*line 3 column 1\): fix the file/],
      ['an unknown placeholder', (w) => w.write('apps/agent/deploy/ecs/task-definition.json', { ...TEMPLATE, family: '{{family}}' }), {}, /task-definition\.json family: unknown placeholder \{\{family\}\}/],
      ['an unset {{env.NAME}}', (w) => w.write('apps/agent/deploy/ecs/task-definition.json', { ...TEMPLATE, taskRoleArn: '{{env.TASK_ROLE}}' }), {}, /taskRoleArn: \{\{env\.TASK_ROLE\}\} needs the environment variable TASK_ROLE, which is not set/],
      ['no container with {{image}}', (w) => w.write('apps/agent/deploy/ecs/task-definition.json', { ...TEMPLATE, containerDefinitions: [{ name: 'agent', image: 'x:latest' }] }), {}, /no container has "image": "\{\{image\}\}"/],
      ['an X86_64 task for an arm64 image', (w) => w.write('apps/agent/deploy/ecs/task-definition.json', { ...TEMPLATE, runtimePlatform: undefined }), {}, /cpuArchitecture is absent, which Fargate runs as X86_64, but the image was built for linux\/arm64/],
      ['a cluster without a service', () => undefined, { cluster: 'shop' }, /^cluster and service go together: cluster "shop" has no service/],
      ['an empty ecr-push.json', (w) => w.write('dist/images/apps/agent/ecr-push.json', ''), {}, /ecr-push\.json is not a push record/],
      ['a dry-run record', (w) => w.pushRecord({ outcome: 'dry-run' }), {}, /records a dry run, which pushed nothing: run `nx run agent:ecr-push -c dev`/],
      ['a failure record', (w) => w.pushRecord({ outcome: 'failed' as never }), {}, /records a push that did not succeed \(outcome "failed"\)/],
      ['a record from another commit', (w) => w.pushRecord({ gitSha: '9999999' }), {}, /was written at commit 9999999, but the workspace is at abc1234def56/],
      ['a record of another build', (w) => w.pushRecord({ contentTag: 'content-ffffffffffffffffffffffff' }), {}, /pushed content-f{24}, but the build of these sources is content-0123/],
      ['a record older than the build', (w) => w.pushRecord({ recordedAt: '2020-01-01T00:00:00.000Z' }), {}, /is older than this build .*: the push of this build did not finish/],
      ['a record of another environment', () => undefined, { environment: 'prod' }, /is for repository shop-dev-agent, but this deploy \(environment prod\) uses shop-prod-agent/],
    ])('%s', async (_name, arrange, options, message) => {
      arrange(ws);
      await expect(run(options)).resolves.toEqual({ success: false });
      expectRefusedBeforeAws(logs.errors(), message, sts.mock.calls().length + ecs.mock.calls().length, record());
    });

    it('a missing ecr-push.json names the file and the target to run', async () => {
      rmSync(join(ws.root, 'dist/images/apps/agent/ecr-push.json'));
      await expect(run()).resolves.toEqual({ success: false });
      expect(logs.errors()).toEqual(['No push record at dist/images/apps/agent/ecr-push.json: run `nx run agent:ecr-push -c dev` (deploy\'s dependsOn does) and deploy again.']);
      expect(ecs.mock.calls()).toHaveLength(0);
    });
  });
});
