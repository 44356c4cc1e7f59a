// Reading the run from an executor's context: which tasks wait for this one, and their options as Nx merges them.
import type { ExecutorContext } from '@nx/devkit';
import { currentTaskId, dependencyTasks, dependentTasks, projectTargetWith } from './task-graph';

const task = (id: string, overrides: Record<string, unknown> = {}) => {
  const [project, target, configuration] = id.split(':');
  return { id, target: { project, target, configuration }, overrides, outputs: [], cache: false };
};

const PUSH = {
  executor: 'x:push',
  options: { tags: ['a'], dryRun: false },
  configurations: { prod: { environment: 'prod' } },
  defaultConfiguration: 'dev',
};
const context = (change: Partial<ExecutorContext> = {}): ExecutorContext =>
  ({
    root: '/ws',
    cwd: '/ws',
    isVerbose: false,
    projectName: 'svc',
    targetName: 'build',
    configurationName: 'prod',
    projectsConfigurations: {
      version: 2,
      projects: { svc: { root: 'apps/svc', targets: { build: { executor: 'x:build' }, push: PUSH, other: { executor: 'x:push' } } } },
    },
    taskGraph: {
      roots: [],
      tasks: Object.fromEntries(
        [task('svc:build:prod'), task('svc:push:prod', { dryRun: true, _: [], __overrides_unparsed__: ['--dryRun'] })].map((t) => [
          t.id,
          t,
        ]),
      ),
      dependencies: { 'svc:build:prod': [], 'svc:push:prod': [{ id: 'svc:build:prod' }] },
      continuousDependencies: {},
    },
    ...change,
  }) as ExecutorContext;

describe('task graph', () => {
  it('finds the current task by project, target and configuration', () => {
    expect(currentTaskId(context())).toBe('svc:build:prod');
    expect(currentTaskId(context({ configurationName: undefined }))).toBeUndefined();
  });

  it('resolves a waiting task with target options, then its configuration, then the CLI overrides (Nx internals left out)', () => {
    expect(dependentTasks(context())).toEqual([
      {
        project: 'svc',
        target: 'push',
        configuration: 'prod',
        executor: 'x:push',
        options: { tags: ['a'], dryRun: true, environment: 'prod' },
        taskId: 'svc:push:prod',
      },
    ]);
  });

  it('finds the tasks the current task waits for', () => {
    expect(dependencyTasks(context({ targetName: 'push' })).map((t) => t.taskId)).toEqual(['svc:build:prod']);
  });

  it('is empty without a task graph', () => {
    expect(dependentTasks(context({ taskGraph: undefined }))).toEqual([]);
  });

  it("resolves the project's target for an executor: the preferred name first, the current configuration, or the default one", () => {
    expect(projectTargetWith(context(), 'x:push', 'push')).toMatchObject({
      target: 'push',
      configuration: 'prod',
      options: { environment: 'prod' },
    });
    expect(projectTargetWith(context({ configurationName: 'staging' }), 'x:push', 'push')).toMatchObject({
      configuration: 'dev',
      options: { tags: ['a'] },
    });
    expect(projectTargetWith(context(), 'x:push', 'other')?.target).toBe('other');
    expect(projectTargetWith(context(), 'x:none', 'none')).toBeUndefined();
  });
});
