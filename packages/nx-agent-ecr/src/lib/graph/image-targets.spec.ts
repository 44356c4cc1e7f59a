import { imageBuilds, pushTargets, targetsUsing } from './image-targets';

describe('imageBuilds', () => {
  test.each([
    [
      'defaults: Dockerfile and context at the project root',
      { 'docker-build': { executor: 'nx-agent-ecr:docker-arm64-build', options: {} } },
      false,
      [{ target: 'docker-build', dockerfile: 'apps/svc/Dockerfile', contextDir: 'apps/svc' }],
    ],
    [
      'context "." is the workspace root',
      { 'docker-build': { executor: 'nx-agent-ecr:docker-arm64-build', options: { context: '.' } } },
      false,
      [{ target: 'docker-build', dockerfile: 'apps/svc/Dockerfile', contextDir: '' }],
    ],
    [
      'a configuration that changes the Dockerfile adds a build; one that does not adds nothing',
      {
        'docker-build': {
          executor: 'nx-agent-ecr:docker-arm64-build',
          options: { dockerfile: 'apps/svc/Dockerfile' },
          configurations: { dev: {}, prod: { dockerfile: 'apps/svc/Dockerfile.prod' } },
        },
      },
      false,
      [
        { target: 'docker-build', dockerfile: 'apps/svc/Dockerfile', contextDir: 'apps/svc' },
        { target: 'docker-build', dockerfile: 'apps/svc/Dockerfile.prod', contextDir: 'apps/svc' },
      ],
    ],
    [
      'a bare Dockerfile without a build target',
      { test: { command: 'pytest' } },
      true,
      [{ target: undefined, dockerfile: 'apps/svc/Dockerfile', contextDir: 'apps/svc' }],
    ],
    ['neither', { test: { command: 'pytest' } }, false, []],
  ])('%s', (_name, targets, hasRootDockerfile, expected) => {
    expect(imageBuilds('apps/svc', targets, hasRootDockerfile)).toEqual(expected);
  });
});

describe('pushTargets', () => {
  test.each([
    ["no buildTarget: this project's docker-build", undefined, { name: 'ecr-push', buildTarget: 'docker-build' }],
    ['a target of this project', 'image', { name: 'ecr-push', buildTarget: 'image' }],
    [
      "another project's target, with a configuration",
      'web:docker-build:prod',
      { name: 'ecr-push', buildProject: 'web', buildTarget: 'docker-build' },
    ],
  ])('names the ecr-push targets and the build each delivers through: %s', (_name, buildTarget, expected) => {
    const targets = { 'ecr-push': { executor: 'nx-agent-ecr:ecr-push', options: { buildTarget } }, test: { command: 'x' } };
    expect(pushTargets(targets)).toEqual([expected]);
  });
});

describe('targetsUsing', () => {
  test('names the targets that use the ecr-push executor', () => {
    expect(targetsUsing({ 'ecr-push': { executor: 'nx-agent-ecr:ecr-push' }, test: { command: 'x' } })).toEqual(['ecr-push']);
  });
});
