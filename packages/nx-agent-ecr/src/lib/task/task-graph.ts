// Reads the run Nx started from an executor's context: the task this executor runs, the tasks of the run that
// wait for it or that it waits for, and any task's options as Nx resolves them (target, configuration, CLI).
import type { ExecutorContext, TargetConfiguration } from '@nx/devkit';

/** A target of the workspace as one task runs it. */
export interface ResolvedTarget {
  project: string;
  target: string;
  configuration?: string;
  executor?: string;
  /** Target options, then the configuration's, then the task's command-line overrides. */
  options: Record<string, unknown>;
  /** The task's ID when the target is part of this run's task graph. */
  taskId?: string;
}

type Task = NonNullable<ExecutorContext['taskGraph']>['tasks'][string];

function targetConfiguration(context: ExecutorContext, project: string, target: string): TargetConfiguration | undefined {
  return context.projectsConfigurations?.projects[project]?.targets?.[target];
}

/** Options as Nx merges them for a task; internal keys of the overrides ("_", "__overrides_unparsed__") are left out. */
function resolve(
  context: ExecutorContext,
  project: string,
  target: string,
  configuration?: string,
  overrides: Record<string, unknown> = {},
  taskId?: string,
): ResolvedTarget {
  const config = targetConfiguration(context, project, target);
  const name = configuration ?? config?.defaultConfiguration;
  const fromCli = Object.fromEntries(Object.entries(overrides).filter(([key]) => !key.startsWith('_')));
  return {
    project,
    target,
    configuration: name,
    executor: config?.executor,
    options: { ...(config?.options ?? {}), ...(name ? (config?.configurations?.[name] ?? {}) : {}), ...fromCli },
    taskId,
  };
}

const fromTask = (context: ExecutorContext, task: Task) =>
  resolve(context, task.target.project, task.target.target, task.target.configuration, task.overrides, task.id);

/** The ID of the task this executor runs, found by project, target and configuration. */
export function currentTaskId(context: ExecutorContext): string | undefined {
  const tasks = Object.values(context.taskGraph?.tasks ?? {});
  return tasks.find(
    (task) =>
      task.target.project === context.projectName &&
      task.target.target === context.targetName &&
      (task.target.configuration ?? undefined) === (context.configurationName ?? undefined),
  )?.id;
}

/** The tasks of this run that wait for the current task (empty when Nx gave no task graph). */
export function dependentTasks(context: ExecutorContext): ResolvedTarget[] {
  const id = currentTaskId(context);
  const graph = context.taskGraph;
  if (!id || !graph) return [];
  return Object.entries(graph.dependencies)
    .filter(([, edges]) => edges.some((edge) => edge.id === id))
    .map(([dependent]) => graph.tasks[dependent])
    .filter((task): task is Task => task !== undefined)
    .map((task) => fromTask(context, task));
}

/** The tasks of this run the current task waits for. */
export function dependencyTasks(context: ExecutorContext): ResolvedTarget[] {
  const id = currentTaskId(context);
  const graph = context.taskGraph;
  if (!id || !graph) return [];
  return (graph.dependencies[id] ?? [])
    .map((edge) => graph.tasks[edge.id])
    .filter((task): task is Task => task !== undefined)
    .map((task) => fromTask(context, task));
}

/**
 * The current project's target that uses `executor` (the one named `preferred` first), resolved under the
 * current configuration, as a task would run it without command-line overrides.
 */
export function projectTargetWith(context: ExecutorContext, executor: string, preferred: string): ResolvedTarget | undefined {
  const project = context.projectName;
  const targets = Object.entries((project && context.projectsConfigurations?.projects[project]?.targets) || {});
  const matching = targets.filter(([, target]) => target.executor === executor);
  const [name] = matching.find(([candidate]) => candidate === preferred) ?? matching[0] ?? [];
  if (!project || !name) return undefined;
  const configuration =
    context.configurationName && targetConfiguration(context, project, name)?.configurations?.[context.configurationName]
      ? context.configurationName
      : undefined;
  return resolve(context, project, name, configuration);
}
