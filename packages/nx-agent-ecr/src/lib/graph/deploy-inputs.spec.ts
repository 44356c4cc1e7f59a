// The deploy targets' inferred inputs: the deploy file each reads (option, configurations, or the default), then
// the outputs of the pushes it waits for — never the image's files.
import type { TargetConfiguration } from '@nx/devkit';
import { DEPLOY_DEPENDENCY_INPUTS, inferDeployTargets } from './deploy-inputs';

const ecs = (extra: Partial<TargetConfiguration> = {}): TargetConfiguration => ({ executor: 'nx-agent-ecr:ecs-deploy', ...extra });
const agentCore = (extra: Partial<TargetConfiguration> = {}): TargetConfiguration => ({
  executor: 'nx-agent-ecr:agentcore-deploy',
  ...extra,
});
const deployOutput = ['{workspaceRoot}/dist/images/{projectRoot}/deploy.json'];

describe('inferDeployTargets', () => {
  test.each([
    ['ecs-deploy reads the default task definition', 'apps/a', ecs(), ['{workspaceRoot}/apps/a/deploy/ecs/task-definition.json']],
    ['agentcore-deploy reads the default runtime configuration', 'apps/a', agentCore(), ['{workspaceRoot}/apps/a/deploy/agentcore.json']],
    ['a project at the workspace root', '', ecs(), ['{workspaceRoot}/deploy/ecs/task-definition.json']],
    [
      'the taskDefinition option names the file (workspace-relative)',
      'apps/a',
      ecs({ options: { taskDefinition: './infra/a.json' } }),
      ['{workspaceRoot}/infra/a.json'],
    ],
    [
      'every file a configuration can name, once each',
      'apps/a',
      agentCore({ options: { config: 'infra/dev.json' }, configurations: { dev: {}, prod: { config: 'infra/prod.json' }, staging: {} } }),
      ['{workspaceRoot}/infra/dev.json', '{workspaceRoot}/infra/prod.json'],
    ],
    [
      'configurations without a file use the default',
      'apps/a',
      ecs({ configurations: { prod: { taskDefinition: 'infra/prod.json' }, dev: { environment: 'dev' } } }),
      ['{workspaceRoot}/apps/a/deploy/ecs/task-definition.json', '{workspaceRoot}/infra/prod.json'],
    ],
  ])('%s', (_name, root, target, files) => {
    expect(inferDeployTargets(root, { deploy: target })).toEqual({
      deploy: { executor: target.executor, inputs: [...files, ...DEPLOY_DEPENDENCY_INPUTS], outputs: deployOutput },
    });
  });

  test('reads the outputs of the tasks it depends on and no npm packages', () => {
    expect(DEPLOY_DEPENDENCY_INPUTS).toEqual([{ dependentTasksOutputFiles: '**/*' }, { externalDependencies: [] }]);
  });

  test('other targets, including the image targets and run-commands, get nothing', () => {
    const targets = {
      'docker-build': { executor: 'nx-agent-ecr:docker-arm64-build' },
      'ecr-push': { executor: 'nx-agent-ecr:ecr-push' },
      test: { executor: 'nx:run-commands' },
      other: {},
    };
    expect(inferDeployTargets('apps/a', targets)).toEqual({});
  });
});
