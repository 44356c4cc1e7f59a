// ecs-deploy through `nx run` against moto's ECS (an independent implementation, called through the real SDK):
// revisions counted, the service updated to the new one by digest, refusals that write nothing, the deadline, and the
// scan gate reading moto's ECR (its one HIGH passes; a CRITICAL stops the deploy).
// moto never starts a deployment for an UpdateService, so a wait can only end at its deadline here; the completed,
// failed and no-rolloutState waits are covered by the unit specs with aws-sdk-client-mock.
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';
import { serviceContainers, serviceContract } from 'nx-agent-ecr/src/generators/agent-service/templates';
import { useMoto } from '../support/moto';
import { DeployWorkspace, output } from './deploy-harness';

const APP = 'langgraph';
/** The plain variables langfuse's containers take from the deploying job (AWS_REGION comes from the deploy itself). */
const LANGFUSE_VARIABLES = serviceContainers('langfuse', 'langfuse', serviceContract('langfuse', 'http'))
  .flatMap((container) => container.env)
  .filter((name) => name !== 'AWS_REGION');
const FAMILY = 'e2e-langgraph';

describe('ecs-deploy against moto', () => {
  const moto = useMoto();
  let d: DeployWorkspace;
  let ecs: ECSClient;
  const revisions = async () => (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: FAMILY }))).taskDefinitionArns?.length ?? 0;
  const latest = async () => (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: FAMILY }))).taskDefinition;

  beforeAll(() => {
    d = new DeployWorkspace(moto);
    ecs = new ECSClient({
      endpoint: moto().endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
  });
  afterAll(() => d?.dispose());

  it('registers the generated task definition with the pushed image by digest, placeholders filled in', async () => {
    const { imageRef } = await d.pushed(APP, 'image one');
    const ran = await d.deploy(APP);
    expect({ exit: ran.exitCode, out: output(ran) }).toMatchObject({ exit: 0 });
    expect(await revisions()).toBe(1);
    const definition = await latest();
    expect(definition?.containerDefinitions?.[0]?.image).toBe(imageRef);
    expect(definition).toMatchObject({
      family: FAMILY,
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    });
    expect(definition?.containerDefinitions?.[0]?.logConfiguration?.options).toMatchObject({
      'awslogs-group': '/ecs/e2e-dev-langgraph',
      'awslogs-region': 'us-east-1',
    });
    expect(d.record(APP)).toMatchObject({
      executor: 'ecs-deploy',
      outcome: 'deployed',
      image: imageRef,
      changes: [`RegisterTaskDefinition ${FAMILY}:1`],
      // The scan gate read moto's scan: one HIGH finding passes the default threshold.
      scan: { status: 'COMPLETE', counts: { HIGH: 1 }, threshold: 'CRITICAL' },
    });
  });

  it('an unchanged image registers no new revision', async () => {
    const ran = await d.deploy(APP);
    expect(ran.exitCode).toBe(0);
    expect(await revisions()).toBe(1);
    expect(d.record(APP)).toMatchObject({ outcome: 'unchanged', changes: [] });
  });

  it('a new digest registers revision 2 and updates the service to it (wait: false)', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'e2e' }));
    await ecs.send(
      new CreateServiceCommand({ cluster: 'e2e', serviceName: APP, taskDefinition: `${FAMILY}:1`, desiredCount: 1, launchType: 'FARGATE' }),
    );
    const { imageRef } = await d.pushed(APP, 'image two');
    const ran = await d.deploy(APP, ['--cluster=e2e', `--service=${APP}`, '--wait=false']);
    expect({ exit: ran.exitCode, out: output(ran) }).toMatchObject({ exit: 0 });
    expect(await revisions()).toBe(2);
    expect((await latest())?.containerDefinitions?.[0]?.image).toBe(imageRef);
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'e2e', services: [APP] }))).services?.[0];
    expect(service?.taskDefinition).toMatch(new RegExp(`task-definition/${FAMILY}:2$`));
    expect(d.record(APP)).toMatchObject({
      outcome: 'deployed',
      changes: [`RegisterTaskDefinition ${FAMILY}:2`, `UpdateService e2e/${APP}`],
    });
  });

  it('a rollout that never completes fails at the deadline in one line, and deploy.json says so', async () => {
    await d.pushed(APP, 'image three');
    const ran = await d.deploy(APP, ['--cluster=e2e', `--service=${APP}`, '--timeoutSeconds=3', '--pollSeconds=1']);
    expect(ran.exitCode).not.toBe(0);
    expect(output(ran)).toMatch(
      new RegExp(`The rollout of ${FAMILY}:3 on e2e/${APP} did not complete \\(ECS shows no deployment of it yet\\) after 3s`),
    );
    expect(await revisions()).toBe(3);
    expect(d.record(APP)).toMatchObject({
      outcome: 'failed',
      error: expect.stringContaining('did not complete'),
      changes: [`RegisterTaskDefinition ${FAMILY}:3`, `UpdateService e2e/${APP}`],
    });
  });

  it('a digest whose scan has a CRITICAL finding is not deployed: one line with the finding, nothing registered', async () => {
    const { digest } = await d.pushed(APP, 'image five');
    await d.scanFindings(`e2e-dev-${APP}`, digest, {
      findingSeverityCounts: { CRITICAL: 1, HIGH: 2 },
      findings: [
        {
          name: 'CVE-2026-0001',
          severity: 'CRITICAL',
          attributes: [
            { key: 'package_name', value: 'openssl' },
            { key: 'package_version', value: '3.0.0' },
          ],
        },
      ],
    });
    const before = await revisions();
    const ran = await d.deploy(APP);
    expect(ran.exitCode).not.toBe(0);
    expect(output(ran)).toMatch(
      new RegExp(`Scan gate: e2e-dev-${APP}@${digest.slice(0, 19)} has 1 finding\\(s\\) at or above CRITICAL \\(1 CRITICAL, 2 HIGH\\)`),
    );
    expect(output(ran)).toMatch(/CVE-2026-0001 {2}openssl 3\.0\.0 {2}CRITICAL/);
    expect(await revisions()).toBe(before);
    expect(d.record(APP)).toMatchObject({ outcome: 'failed', error: expect.stringContaining('at or above CRITICAL'), changes: [] });

    const accepted = await d.deploy(APP, ['--failOnSeverity=none']);
    expect({ exit: accepted.exitCode, out: output(accepted) }).toMatchObject({ exit: 0 });
    expect(await revisions()).toBe(before + 1);
  });

  it("langfuse registers one task with its web image and its worker project's image, each by its own digest", async () => {
    const web = await d.pushed('langfuse', 'langfuse web');
    const worker = await d.pushed('langfuse/worker', 'langfuse worker', {
      project: 'langfuse-worker',
      repositoryName: 'e2e-dev-langfuse-worker',
    });
    const variables = Object.fromEntries(LANGFUSE_VARIABLES.map((name) => [name, `value-of-${name.toLowerCase()}`]));
    const ran = await d.deploy('langfuse', [], variables);
    expect({ exit: ran.exitCode, out: output(ran) }).toMatchObject({ exit: 0 });
    const definition = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'e2e-langfuse' }))).taskDefinition;
    expect(definition?.containerDefinitions?.map((c) => [c.name, c.image])).toEqual([
      ['langfuse-web', web.imageRef],
      ['langfuse-worker', worker.imageRef],
    ]);
    expect(definition?.containerDefinitions?.[0]?.environment).toContainEqual({ name: 'NEXTAUTH_URL', value: 'value-of-nextauth_url' });
  });

  it.each([
    [
      'a missing service',
      () => d.pushed(APP, 'image four'),
      ['--cluster=e2e', '--service=nope'],
      /ECS service "nope" in cluster "e2e" does not exist/,
    ],
    [
      'a push record from another commit',
      () => d.pushed(APP, 'image four', { gitSha: '0000000' }),
      [],
      /ecr-push\.json was written at commit 0000000/,
    ],
    ['a dry-run push record', () => d.pushed(APP, 'image four', { outcome: 'dry-run' }), [], /records a dry run, which pushed nothing/],
    [
      'a template that is not JSON',
      () => d.ws.write(`apps/${APP}/deploy/ecs/broken.json`, '{ "family": '),
      ['--taskDefinition=apps/langgraph/deploy/ecs/broken.json'],
      /broken\.json is not valid JSON/,
    ],
  ])('%s fails in one line and registers nothing', async (_name, arrange, args, message) => {
    await arrange();
    const before = await revisions();
    const ran = await d.deploy(APP, args as string[]);
    expect(ran.exitCode).not.toBe(0);
    expect(output(ran)).toMatch(message);
    expect(await revisions()).toBe(before);
    expect(d.record(APP).outcome).toBe('failed');
  });
});
