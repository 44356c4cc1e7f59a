// Batch implementation of ecr-push — what `nx run-many -t ecr-push` runs (preferBatch in executors.json): every
// task in one process and one run scope, planned together first (run-plan.ts), then delivered 3 at a time.
import { batchOf } from '../../lib/task/batch';
import { defaultDeps, ecrPushExecutor, type EcrPushDeps } from './executor';
import { planRun } from './run-plan';
import type { EcrPushExecutorSchema } from './schema';

/** The batch over `deps` (tests hand in fakes of the two boundaries). */
export function ecrPushBatchOf(deps: EcrPushDeps) {
  return batchOf<EcrPushExecutorSchema>((options, context, scope) => ecrPushExecutor(options, context, { ...deps, scope }), {
    newScope: deps.newScope,
    plan: (tasks, scope) => planRun(tasks, scope, deps),
  });
}

export const ecrPushExecutorBatch = ecrPushBatchOf(defaultDeps());
export default ecrPushExecutorBatch;
