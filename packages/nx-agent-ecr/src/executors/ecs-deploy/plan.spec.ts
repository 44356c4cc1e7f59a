// ecs-deploy's plan, purely: register only when the latest revision differs, update the service only when it runs
// something else, and the dry run's lines.
import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';
import { formatEcsPlan, planEcsDeploy } from './plan';

const IMAGE = 'host/repo@sha256:aa';
const desired: RegisterTaskDefinitionCommandInput = { family: 'shop-agent', containerDefinitions: [{ name: 'agent', image: IMAGE }] };
const described = (revision: number, image = IMAGE): TaskDefinition => ({
  family: 'shop-agent',
  revision,
  taskDefinitionArn: `arn:aws:ecs:eu-west-1:1:task-definition/shop-agent:${revision}`,
  containerDefinitions: [{ name: 'agent', image, cpu: 0, essential: true }],
});
const ref = { cluster: 'c', service: 's' };
const running = (revision: number) => ({ ref, running: { taskDefinition: described(revision).taskDefinitionArn } });

describe('planEcsDeploy', () => {
  test.each([
    ['a family without revisions: register', undefined, undefined, { register: true, update: false }],
    ['the latest revision runs another image: register', described(3, 'host/repo@sha256:bb'), undefined, { register: true, update: false }],
    ['the latest revision is what would be registered: nothing', described(3), undefined, { register: false, update: false }],
    [
      'a new revision and a service: register and update',
      described(3, 'host/repo@sha256:bb'),
      running(3),
      { register: true, update: true },
    ],
    ['unchanged, and the service runs it: nothing', described(3), running(3), { register: false, update: false }],
    ['unchanged, but the service runs an older revision: update only', described(3), running(2), { register: false, update: true }],
  ])('%s', (_name, current, service, expected) => {
    expect(planEcsDeploy(desired, current, service)).toMatchObject(expected);
  });
});

describe('formatEcsPlan', () => {
  it('names the image, what happens to the task definition and to the service', () => {
    expect(formatEcsPlan(planEcsDeploy(desired, undefined, running(3)), IMAGE)).toEqual([
      `image ${IMAGE}`,
      'task definition shop-agent: would register a new revision',
      'service c/s: would update and wait for the rollout',
    ]);
    expect(formatEcsPlan(planEcsDeploy(desired, described(3)), IMAGE)).toEqual([
      `image ${IMAGE}`,
      'task definition arn:aws:ecs:eu-west-1:1:task-definition/shop-agent:3: unchanged',
    ]);
  });
});
