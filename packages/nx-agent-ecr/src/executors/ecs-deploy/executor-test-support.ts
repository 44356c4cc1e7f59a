// Test support for the ecs-deploy specs: the template, ECS's answers as the SDK returns them, and a harness with
// mocked ECS/STS clients behind the real ports, a fake git and an instant clock.
import {
  ClientException,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { logger } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeployRecord } from '../../lib/records/deploy-record';
import {
  ACCOUNT,
  captureLogs,
  deployWorkspace,
  fakeClock,
  fakeGit,
  IMAGE,
  mockedDeployAws,
  SECRET_KEY,
  type Workspace,
} from '../../lib/deploy/deploy-test-support';
import { ecsDeployExecutor } from './executor';
import type { EcsDeployExecutorSchema } from './schema';

export const TEMPLATE = {
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
      environment: [
        { name: 'ENVIRONMENT', value: '{{environment}}' },
        { name: 'A', value: '1' },
      ],
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/{{projectName}}-{{environment}}-{{service}}', 'awslogs-region': '{{region}}' },
      },
    },
  ],
};
export const FAMILY = 'shop-agent';
export const arn = (revision: number) => `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/${FAMILY}:${revision}`;

/** The rendered template as ECS describes it: its own keys and defaults added, environment reordered. */
export function described(revision: number, image = IMAGE): TaskDefinition {
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
        environment: [
          { name: 'A', value: '1' },
          { name: 'ENVIRONMENT', value: 'dev' },
        ],
        logConfiguration: {
          logDriver: 'awslogs' as const,
          options: { 'awslogs-group': '/ecs/shop-dev-agent', 'awslogs-region': 'eu-west-1' },
        },
      },
    ],
  } as TaskDefinition;
}

export const notFound = () => new ClientException({ message: 'Unable to describe task definition.', $metadata: {} });
export const service = (
  taskDefinition: string,
  deployments: Service['deployments'] = [],
  events: Service['events'] = [],
): { services: Service[] } => ({
  services: [{ serviceName: 'agent', status: 'ACTIVE', taskDefinition, deployments, events }],
});
export const deployment = (
  taskDefinition: string,
  rolloutState?: 'COMPLETED' | 'FAILED' | 'IN_PROGRESS',
  counts = { runningCount: 1, desiredCount: 2 },
) => ({
  id: `ecs-svc/${taskDefinition.slice(-1)}`,
  status: 'PRIMARY',
  taskDefinition,
  ...(rolloutState ? { rolloutState, rolloutStateReason: `deployment ${rolloutState.toLowerCase()}` } : {}),
  ...counts,
});

/** beforeEach: a fresh workspace with the template, mocks and a clock; the fields are read inside the tests. */
export function ecsDeployHarness() {
  const h = {
    ws: undefined as unknown as Workspace,
    aws: undefined as unknown as ReturnType<typeof mockedDeployAws>,
    ecs: undefined as unknown as ReturnType<typeof mockedDeployAws>['ecs'],
    sts: undefined as unknown as ReturnType<typeof mockedDeployAws>['sts'],
    logs: undefined as unknown as ReturnType<typeof captureLogs>,
    clock: undefined as unknown as ReturnType<typeof fakeClock>,
    env: { AWS_SECRET_ACCESS_KEY: SECRET_KEY } as NodeJS.ProcessEnv,
    run: (options: EcsDeployExecutorSchema = {}) =>
      ecsDeployExecutor(options, h.ws.context, {
        run: fakeGit(),
        env: h.env,
        newScope: h.aws.newScope,
        sleep: h.clock.sleep,
        now: h.clock.now,
      }),
    record: () => JSON.parse(readFileSync(join(h.ws.root, 'dist/images/apps/agent/deploy.json'), 'utf8')) as DeployRecord,
    awsWrites: () => h.ecs.mock.commandCalls(RegisterTaskDefinitionCommand).length + h.ecs.mock.commandCalls(UpdateServiceCommand).length,
  };
  beforeEach(() => {
    h.ws = deployWorkspace();
    h.ws.write('apps/agent/deploy/ecs/task-definition.json', TEMPLATE);
    h.aws = mockedDeployAws();
    ({ ecs: h.ecs, sts: h.sts } = h.aws);
    h.logs = captureLogs(logger);
    h.clock = fakeClock();
    h.ecs.mock
      .on(RegisterTaskDefinitionCommand)
      .callsFake((input) => ({ taskDefinition: { ...input, taskDefinitionArn: arn(2), revision: 2 } }));
  });
  afterEach(() => h.logs.restore());
  return h;
}
