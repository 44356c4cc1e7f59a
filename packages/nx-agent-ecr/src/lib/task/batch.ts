// Nx batch mode (`--batch` / NX_BATCH_MODE=true): all tasks of one executor in one process instead of one process
// per task. The benchmark measured ~80 % of an unchanged service's cost as process start-up, so this is where a
// 64-service run saves most. Each task still runs the ordinary executor with its own options and context, inside
// one run scope: shared AWS clients, one login per registry, one Ctrl-C reaction for all of them.
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { logger } from '../log';
import { createRunScope, type RunScope } from './run-scope';

type Executor<T> = (options: T, context: ExecutorContext, scope: RunScope) => Promise<{ success: boolean }>;

export interface BatchTaskResult {
  task: string;
  result: { success: boolean; terminalOutput: string; startTime: number; endTime: number };
}

/** Tasks of one batch that run at once: Nx's own default parallelism, so `--batch` never builds slower than without. */
export const BATCH_CONCURRENCY = 3;

/** One task of a batch as its executor sees it: its options and its own context (project, target, configuration). */
export interface BatchTask<T> {
  options: T;
  context: ExecutorContext;
}

export interface BatchOptions<T> {
  /** Tasks running at once (default BATCH_CONCURRENCY). */
  concurrency?: number;
  newScope?: () => RunScope;
  /**
   * Runs once before any task, with all of them: a run planner that asks the scope's shared lookups for every task
   * at once, so the tasks find the answers there. Its failures are not the tasks': each task asks again and reports.
   */
  plan?: (tasks: BatchTask<T>[], scope: RunScope) => Promise<void>;
}

/**
 * A batch implementation that runs `executor` for every task of the batch, up to `concurrency` at a time; a task
 * starts only after the tasks of the same batch it depends on have finished, and is not run at all when one of them
 * failed (as Nx does between batches). Results are yielded in task order.
 */
export function batchOf<T>(
  executor: Executor<T>,
  { concurrency = BATCH_CONCURRENCY, newScope = createRunScope, plan }: BatchOptions<T> = {},
) {
  return async function* runBatch(
    taskGraph: TaskGraph,
    inputs: Record<string, T>,
    _overrides: T,
    context: ExecutorContext,
  ): AsyncGenerator<BatchTaskResult> {
    const slot = limiter(concurrency);
    const scope = newScope();
    const running = new Map<string, Promise<BatchTaskResult>>();
    const order = inDependencyOrder(taskGraph, Object.keys(inputs));
    try {
      await plan?.(
        order.map((taskId) => ({ options: inputs[taskId] as T, context: taskContextOf(context, taskGraph, taskId) })),
        scope,
      ).catch(() => undefined);
      for (const taskId of order) {
        const deps = (taskGraph.dependencies[taskId] ?? []).map((d) => running.get(d.id)).filter((p) => p !== undefined);
        running.set(
          taskId,
          Promise.all(deps).then((done) => {
            const failed = done.filter((dep) => !dep.result.success).map((dep) => dep.task);
            if (failed.length) return notRun(taskId, failed);
            return slot(() => runTask(executor, scope, taskGraph, taskId, inputs[taskId], context));
          }),
        );
      }
      for (const taskId of order) yield await (running.get(taskId) as Promise<BatchTaskResult>);
    } finally {
      // Nx may stop reading results early; the tasks still running end with the scope's signal aborted.
      await Promise.allSettled(running.values());
      scope.dispose();
    }
  };
}

async function runTask<T>(
  executor: Executor<T>,
  scope: RunScope,
  taskGraph: TaskGraph,
  taskId: string,
  options: T,
  context: ExecutorContext,
): Promise<BatchTaskResult> {
  const startTime = Date.now();
  const { success } = await executor(options, taskContextOf(context, taskGraph, taskId), scope).catch(() => ({ success: false }));
  return { task: taskId, result: { success, terminalOutput: '', startTime, endTime: Date.now() } };
}

/** The batch's context narrowed to one task: its project, target and configuration. */
function taskContextOf(context: ExecutorContext, taskGraph: TaskGraph, taskId: string): ExecutorContext {
  const { target } = taskGraph.tasks[taskId] as TaskGraph['tasks'][string];
  return { ...context, projectName: target.project, targetName: target.target, configurationName: target.configuration };
}

/** A task whose in-batch dependency failed: it does nothing, and says why in one line. */
function notRun(taskId: string, failed: string[]): BatchTaskResult {
  const line = `${taskId} was not run: ${failed.join(', ')} failed, and it depends on ${failed.length > 1 ? 'them' : 'it'}.`;
  logger.error(line);
  const now = Date.now();
  return { task: taskId, result: { success: false, terminalOutput: `${line}\n`, startTime: now, endTime: now } };
}

/** Runs at most `limit` of the functions handed to it at once. */
function limiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <R>(fn: () => Promise<R>): Promise<R> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Tasks before the tasks that depend on them (Nx batches only independent tasks today; this keeps it safe). */
export function inDependencyOrder(taskGraph: TaskGraph, taskIds: string[]): string[] {
  const wanted = new Set(taskIds);
  const ordered: string[] = [];
  const visit = (id: string, seen: Set<string>) => {
    if (!wanted.has(id) || ordered.includes(id) || seen.has(id)) return;
    seen.add(id);
    for (const dep of taskGraph.dependencies[id] ?? []) visit(dep.id, seen);
    ordered.push(id);
  };
  for (const id of taskIds) visit(id, new Set());
  return ordered;
}
