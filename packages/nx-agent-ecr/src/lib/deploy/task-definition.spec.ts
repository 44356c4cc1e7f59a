// Task definition comparison: what ECS adds to a description never counts as a change; what the file says does.
import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';
import { checkTaskDefinition, sameTaskDefinition } from './task-definition';

const desired: RegisterTaskDefinitionCommandInput = {
  family: 'shop-agent',
  networkMode: 'awsvpc',
  cpu: '512',
  memory: '1024',
  containerDefinitions: [
    {
      name: 'agent',
      image: 'r@sha256:1',
      portMappings: [{ containerPort: 80 }],
      environment: [
        { name: 'B', value: '2' },
        { name: 'A', value: '1' },
      ],
    },
  ],
};
const asDescribed = (overrides: Partial<TaskDefinition> = {}, container: object = {}): TaskDefinition => ({
  ...desired,
  taskDefinitionArn: 'arn:aws:ecs:eu-west-1:1:task-definition/shop-agent:3',
  revision: 3,
  status: 'ACTIVE',
  compatibilities: ['EC2', 'FARGATE'],
  requiresAttributes: [{ name: 'x' }],
  volumes: [],
  placementConstraints: [],
  containerDefinitions: [
    {
      name: 'agent',
      image: 'r@sha256:1',
      cpu: 0,
      essential: true,
      mountPoints: [],
      volumesFrom: [],
      portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }],
      environment: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      ...container,
    },
  ],
  ...overrides,
});

describe('sameTaskDefinition', () => {
  test.each<[string, TaskDefinition, boolean]>([
    ['ECS keys, defaults, empty lists and environment order are not changes', asDescribed(), true],
    ['numbers where the file has strings are the same', asDescribed({ cpu: 512 as unknown as string }), true],
    ['another image is a change', asDescribed({}, { image: 'r@sha256:2' }), false],
    [
      'another environment value is a change',
      asDescribed(
        {},
        {
          environment: [
            { name: 'A', value: '1' },
            { name: 'B', value: '3' },
          ],
        },
      ),
      false,
    ],
    [
      'an extra environment variable in ECS (removed from the file) is a change',
      asDescribed(
        {},
        {
          environment: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
            { name: 'C', value: '3' },
          ],
        },
      ),
      false,
    ],
    ['a task role the file no longer has is a change', asDescribed({ taskRoleArn: 'arn:aws:iam::1:role/old' }), false],
    ['a non-default essential is a change', asDescribed({}, { essential: false }), false],
  ])('%s', (_name, current, same) => {
    expect(sameTaskDefinition(desired, current)).toBe(same);
  });
});

describe('checkTaskDefinition', () => {
  const file = {
    family: 'f',
    requiresCompatibilities: ['FARGATE'],
    runtimePlatform: { cpuArchitecture: 'ARM64' },
    containerDefinitions: [{ name: 'a', image: '{{image}}' }],
  };
  test.each<[string, Record<string, unknown>, string[], RegExp | undefined]>([
    ['ARM64 on Fargate for an arm64 image', file, ['linux/arm64'], undefined],
    [
      'X86_64 for an image built for both',
      { ...file, runtimePlatform: { cpuArchitecture: 'X86_64' } },
      ['linux/arm64', 'linux/amd64'],
      undefined,
    ],
    [
      'no runtimePlatform on EC2 (the instance decides)',
      { ...file, requiresCompatibilities: ['EC2'], runtimePlatform: undefined },
      ['linux/arm64'],
      undefined,
    ],
    [
      'no runtimePlatform on Fargate for an arm64 image',
      { ...file, runtimePlatform: undefined },
      ['linux/arm64'],
      /absent, which Fargate runs as X86_64/,
    ],
    [
      'X86_64 for an arm64 image',
      { ...file, runtimePlatform: { cpuArchitecture: 'X86_64' } },
      ['linux/arm64'],
      /is X86_64, but the image was built for linux\/arm64/,
    ],
    ['no family', { ...file, family: '' }, ['linux/arm64'], /"family" must be a non-empty string/],
    ['no containers', { ...file, containerDefinitions: [] }, ['linux/arm64'], /non-empty list of containers/],
    [
      'an image tag instead of {{image}}',
      { ...file, containerDefinitions: [{ name: 'a', image: 'repo:latest' }] },
      ['linux/arm64'],
      /no container has "image": "\{\{image\}\}"/,
    ],
  ])('%s', (_name, json, platforms, error) => {
    const check = () => checkTaskDefinition(json, 'td.json', platforms);
    if (error) expect(check).toThrow(error);
    else expect(check).not.toThrow();
  });
});
