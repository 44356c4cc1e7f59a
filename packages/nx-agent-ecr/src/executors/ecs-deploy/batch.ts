// Batch implementation of ecs-deploy (nx run-many … --batch): every task in one process.
import { batchOf } from '../../lib/batch';
import { ecsDeployExecutor } from './executor';

export const ecsDeployExecutorBatch = batchOf(ecsDeployExecutor);
export default ecsDeployExecutorBatch;
