// Batch implementation of docker-arm64-build (nx run-many … --batch): every task in one process.
import { batchOf } from '../../lib/task/batch';
import { dockerArm64BuildExecutor } from './executor';

export const dockerArm64BuildExecutorBatch = batchOf(dockerArm64BuildExecutor);
export default dockerArm64BuildExecutorBatch;
