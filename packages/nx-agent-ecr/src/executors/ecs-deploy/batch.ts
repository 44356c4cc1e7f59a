// Batch implementation of ecs-deploy (nx run-many … --batch): every task in one process, one run scope for all.
import { batchOf } from '../../lib/task/batch';
import { defaultDeps, ecsDeployExecutor } from './executor';
import type { EcsDeployExecutorSchema } from './schema';

export const ecsDeployExecutorBatch = batchOf<EcsDeployExecutorSchema>((options, context, scope) =>
  ecsDeployExecutor(options, context, { ...defaultDeps(), scope }),
);
export default ecsDeployExecutorBatch;
