// Batch implementation of ecr-push (nx run-many … --batch): every task in one process, one run scope for all.
import { batchOf } from '../../lib/task/batch';
import { defaultDeps, ecrPushExecutor } from './executor';
import type { EcrPushExecutorSchema } from './schema';

export const ecrPushExecutorBatch = batchOf<EcrPushExecutorSchema>((options, context, scope) =>
  ecrPushExecutor(options, context, { ...defaultDeps(), scope }),
);
export default ecrPushExecutorBatch;
