// ecs-deploy with mocked ECS/STS clients: what it registers and updates, what it waits for, and what deploy.json
// says afterwards (refusals before any AWS call: refusals.spec.ts).
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSServiceException,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import 'aws-sdk-client-mock-jest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCOUNT, IMAGE, SECRET_KEY } from '../../lib/deploy/deploy-test-support';
import { arn, described, deployment, ecsDeployHarness, FAMILY, notFound, service, TEMPLATE } from './executor-test-support';

describe('ecs-deploy executor', () => {
  const h = ecsDeployHarness();
  const { run, record, awsWrites } = h;

  it('registers the first revision with the image by digest and every placeholder filled in', async () => {
    h.ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    await expect(run()).resolves.toEqual({ success: true });
    const input = h.ecs.mock.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      family: FAMILY,
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
      runtimePlatform: { cpuArchitecture: 'ARM64' },
    });
    expect(input?.containerDefinitions?.[0]).toMatchObject({
      image: IMAGE,
      logConfiguration: { options: { 'awslogs-group': '/ecs/shop-dev-agent', 'awslogs-region': 'eu-west-1' } },
    });
    expect(JSON.stringify(input)).not.toMatch(/\{\{|:latest/);
    expect(record()).toMatchObject({
      outcome: 'deployed',
      image: IMAGE,
      changes: [`RegisterTaskDefinition ${FAMILY}:2`],
      ecs: { taskDefinitionArn: arn(2), revision: 2 },
    });
    expect(h.ecs.mock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('registers nothing when the latest active revision is the rendered definition (ECS defaults and order aside)', async () => {
    h.ecs.mock.on(DescribeTaskDefinitionCommand, { taskDefinition: FAMILY }).resolves({ taskDefinition: described(7) });
    await expect(run()).resolves.toEqual({ success: true });
    expect(h.ecs.mock).not.toHaveReceivedCommand(RegisterTaskDefinitionCommand);
    expect(record()).toMatchObject({ outcome: 'unchanged', changes: [], ecs: { taskDefinitionArn: arn(7) } });
  });

  it('registers a new revision when the latest one runs another digest', async () => {
    h.ecs.mock
      .on(DescribeTaskDefinitionCommand)
      .resolves({ taskDefinition: described(1, IMAGE.replace(/@sha256:d+/, `@sha256:${'e'.repeat(64)}`)) });
    await expect(run()).resolves.toEqual({ success: true });
    expect(h.ecs.mock).toHaveReceivedCommandTimes(RegisterTaskDefinitionCommand, 1);
  });

  it('updates the service to the new revision and waits until its deployment is COMPLETED', async () => {
    h.ecs.mock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(1, 'old@sha256:0') });
    h.ecs.mock
      .on(DescribeServicesCommand)
      .resolvesOnce(service(arn(1), [deployment(arn(1), 'COMPLETED')]))
      .resolvesOnce(service(arn(2), [deployment(arn(2), 'IN_PROGRESS'), { ...deployment(arn(1), 'COMPLETED'), status: 'ACTIVE' }]))
      .resolves(service(arn(2), [deployment(arn(2), 'COMPLETED')]));
    await expect(run({ cluster: 'shop', service: 'agent' })).resolves.toEqual({ success: true });
    expect(h.ecs.mock).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: 'shop', service: 'agent', taskDefinition: arn(2) });
    expect(h.clock.sleeps).toEqual([10_000]);
    expect(record()).toMatchObject({
      outcome: 'deployed',
      changes: [`RegisterTaskDefinition ${FAMILY}:2`, 'UpdateService shop/agent'],
      ecs: { cluster: 'shop', service: 'agent', rolloutState: 'COMPLETED', deploymentId: 'ecs-svc/2' },
    });
  });

  it('without rolloutState, waits until the new deployment runs its desired count', async () => {
    h.ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    h.ecs.mock
      .on(DescribeServicesCommand)
      .resolvesOnce(service(arn(1)))
      .resolvesOnce(service(arn(2), [deployment(arn(2), undefined, { runningCount: 1, desiredCount: 2 })]))
      .resolves(service(arn(2), [deployment(arn(2), undefined, { runningCount: 2, desiredCount: 2 })]));
    await expect(run({ cluster: 'shop', service: 'agent', pollSeconds: 3 })).resolves.toEqual({ success: true });
    expect(h.clock.sleeps).toEqual([3_000]);
    expect(record().ecs?.rolloutState).toBe('running = desired');
  });

  it('a re-run after a completed rollout changes nothing and returns at once', async () => {
    h.ecs.mock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(2) });
    h.ecs.mock.on(DescribeServicesCommand).resolves(service(arn(2), [deployment(arn(2), 'COMPLETED')]));
    await expect(run({ cluster: 'shop', service: 'agent' })).resolves.toEqual({ success: true });
    expect(awsWrites()).toBe(0);
    expect(record()).toMatchObject({ outcome: 'unchanged', changes: [] });
  });

  it('with wait: false, updates the service and does not poll', async () => {
    h.ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    h.ecs.mock.on(DescribeServicesCommand).resolves(service(arn(1)));
    await expect(run({ cluster: 'shop', service: 'agent', wait: false })).resolves.toEqual({ success: true });
    expect(h.ecs.mock).toHaveReceivedCommandTimes(DescribeServicesCommand, 1);
    expect(h.ecs.mock).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
  });

  it('a FAILED rollout fails in one line, prints the last service events under it, and deploy.json keeps them', async () => {
    h.ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    const events = [
      { createdAt: new Date('2026-11-28T10:00:02Z'), message: '(service agent) deployment failed: tasks failed to start.' },
      { createdAt: new Date('2026-11-28T10:00:01Z'), message: '(service agent) has started 1 tasks.' },
    ];
    h.ecs.mock
      .on(DescribeServicesCommand)
      .resolvesOnce(service(arn(1)))
      .resolves(
        service(
          arn(2),
          [{ ...deployment(arn(2), 'FAILED'), rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }],
          events,
        ),
      );
    await expect(run({ cluster: 'shop', service: 'agent' })).resolves.toEqual({ success: false });
    const [error] = h.logs.errors();
    expect(error?.split('\n')[0]).toBe(
      `The rollout of ${FAMILY}:2 on shop/agent failed: ECS deployment circuit breaker: tasks failed to start.`,
    );
    expect(error).toContain('Last service events:\n  2026-11-28T10:00:02.000Z (service agent) deployment failed: tasks failed to start.');
    expect(record()).toMatchObject({
      outcome: 'failed',
      changes: [`RegisterTaskDefinition ${FAMILY}:2`, 'UpdateService shop/agent'],
      events: [expect.stringContaining('deployment failed'), expect.stringContaining('started 1 tasks')],
    });
  });

  it('a rollout still in progress at the deadline fails with what it last saw', async () => {
    h.ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    h.ecs.mock
      .on(DescribeServicesCommand)
      .resolvesOnce(service(arn(1)))
      .resolves(service(arn(2), [deployment(arn(2), 'IN_PROGRESS')], [{ message: 'waiting' }]));
    await expect(run({ cluster: 'shop', service: 'agent', timeoutSeconds: 60, pollSeconds: 10 })).resolves.toEqual({ success: false });
    expect(h.logs.errors()[0]?.split('\n')[0]).toBe(
      `The rollout of ${FAMILY}:2 on shop/agent did not complete (rolloutState IN_PROGRESS, 1/2 tasks running) after 60s ` +
        '(the deadline; raise timeoutSeconds to wait longer).',
    );
    expect(h.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(record()).toMatchObject({ outcome: 'failed', events: [expect.stringContaining('waiting')] });
  });

  it("fills {{image:<project>}} with that project's pushed digest, checked like this project's", async () => {
    const workerDigest = `sha256:${'f'.repeat(64)}`;
    const workerUri = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/shop-dev-agent-worker`;
    h.ws.context.projectsConfigurations.projects['agent-worker'] = { root: 'apps/agent/worker', targets: {} };
    const push = JSON.parse(readFileSync(join(h.ws.root, 'dist/images/apps/agent/ecr-push.json'), 'utf8'));
    h.ws.write('dist/images/apps/agent/worker/ecr-push.json', {
      ...push,
      project: 'agent-worker',
      repositoryName: 'shop-dev-agent-worker',
      repositoryUri: workerUri,
      digest: workerDigest,
    });
    const worker = { ...TEMPLATE.containerDefinitions[0], name: 'worker', image: '{{image:agent-worker}}' };
    h.ws.write('apps/agent/deploy/ecs/task-definition.json', {
      ...TEMPLATE,
      containerDefinitions: [...TEMPLATE.containerDefinitions, worker],
    });
    h.ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    await expect(run()).resolves.toEqual({ success: true });
    const input = h.ecs.mock.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input;
    expect(input?.containerDefinitions?.map((c) => c.image)).toEqual([IMAGE, `${workerUri}@${workerDigest}`]);

    h.ws.write('dist/images/apps/agent/worker/ecr-push.json', {
      ...push,
      project: 'agent-worker',
      repositoryName: 'shop-dev-agent-worker',
      repositoryUri: workerUri,
      digest: workerDigest,
      outcome: 'dry-run',
    });
    await expect(run()).resolves.toEqual({ success: false });
    expect(h.logs.errors().at(-1)).toMatch(
      /^dist\/images\/apps\/agent\/worker\/ecr-push\.json records a dry run.*nx run agent-worker:ecr-push -c dev/,
    );
    h.ws.write('apps/agent/deploy/ecs/task-definition.json', {
      ...TEMPLATE,
      containerDefinitions: [...TEMPLATE.containerDefinitions, { ...worker, image: '{{image:nope}}' }],
    });
    await expect(run()).resolves.toEqual({ success: false });
    expect(h.logs.errors().at(-1)).toBe(
      'apps/agent/deploy/ecs/task-definition.json: {{image:nope}} names no project of this workspace; ' +
        'use an Nx project that has an ecr-push target.',
    );
    expect(h.ecs.mock).toHaveReceivedCommandTimes(RegisterTaskDefinitionCommand, 1);
  });

  it('refuses a missing service before registering anything', async () => {
    h.ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    h.ecs.mock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'x', reason: 'MISSING' }] });
    await expect(run({ cluster: 'shop', service: 'agent' })).resolves.toEqual({ success: false });
    expect(h.logs.errors()).toEqual([
      'ECS service "agent" in cluster "shop" does not exist: create the service (the deploy only updates it), or fix the service option.',
    ]);
    expect(awsWrites()).toBe(0);
  });

  it('dryRun prints the plan and registers and updates nothing', async () => {
    h.ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound());
    h.ecs.mock.on(DescribeServicesCommand).resolves(service(arn(1)));
    await expect(run({ cluster: 'shop', service: 'agent', dryRun: true })).resolves.toEqual({ success: true });
    expect(awsWrites()).toBe(0);
    expect(h.logs.all()).toContain(`task definition ${FAMILY}: would register a new revision`);
    expect(record().outcome).toBe('dry-run');
  });

  it('never prints the secret key, even when an AWS error quotes it', async () => {
    h.sts.mock.on(GetCallerIdentityCommand).rejects(
      new ECSServiceException({
        name: 'SignatureDoesNotMatch',
        message: `signature for ${SECRET_KEY} does not match`,
        $fault: 'client',
        $metadata: {},
      }),
    );
    await expect(run()).resolves.toEqual({ success: false });
    expect(h.logs.all()).toContain('***');
    expect(h.logs.all()).not.toContain(SECRET_KEY);
    expect(readFileSync(join(h.ws.root, 'dist/images/apps/agent/deploy.json'), 'utf8')).not.toContain(SECRET_KEY);
  });
});
