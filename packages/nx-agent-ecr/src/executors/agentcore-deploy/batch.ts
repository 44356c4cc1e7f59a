// Batch implementation of agentcore-deploy (nx run-many … --batch): every task in one process.
import { batchOf } from '../../lib/batch';
import { agentcoreDeployExecutor } from './executor';

export const agentcoreDeployExecutorBatch = batchOf(agentcoreDeployExecutor);
export default agentcoreDeployExecutorBatch;
