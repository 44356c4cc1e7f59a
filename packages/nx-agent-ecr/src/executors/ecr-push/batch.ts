// Batch implementation of ecr-push (nx run-many … --batch): every task in one process.
import { batchOf } from '../../lib/task/batch';
import { ecrPushExecutor } from './executor';

export const ecrPushExecutorBatch = batchOf(ecrPushExecutor);
export default ecrPushExecutorBatch;
