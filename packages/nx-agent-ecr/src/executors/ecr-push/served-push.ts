// The ecr-push a docker-build serves, resolved exactly as ecr-push resolves its own options: docker-build (a PR or
// local build) asks ECR about that push's repositories before building, and skips a build ECR already holds.
import type { ExecutorContext } from '@nx/devkit';
import { EXECUTORS } from '../../lib/records/names';
import { dependentTasks, projectTargetWith, type ResolvedTarget } from '../../lib/task/task-graph';
import { normalizeOptions, type NormalizedOptions } from './normalize-options';
import type { EcrPushExecutorSchema } from './schema';

export interface ServedPush {
  /** e.g. "svc:ecr-push:prod" for a task of this run, "svc:ecr-push" for the project's target. */
  id: string;
  project: string;
  options: EcrPushExecutorSchema;
}

const idOf = (t: ResolvedTarget) => t.taskId ?? `${t.project}:${t.target}`;

/** The ecr-push tasks of this run that wait for the build; when there are none, the project's ecr-push target. */
export function servedPushes(context: ExecutorContext): ServedPush[] {
  const pushes = dependentTasks(context).filter((task) => task.executor === EXECUTORS.push);
  const served = pushes.length > 0 ? pushes : [projectTargetWith(context, EXECUTORS.push, 'ecr-push')].filter((t) => t !== undefined);
  return served.map((t) => ({ id: idOf(t), project: t.project, options: t.options as EcrPushExecutorSchema }));
}

/** The served push's normalized options (repository, promote-from, region, profile); throws its one-line UserError. */
export function servedPushTarget(push: ServedPush, context: ExecutorContext, env: NodeJS.ProcessEnv): NormalizedOptions {
  return normalizeOptions(push.options, { ...context, projectName: push.project }, env);
}
