// Batch implementation of agentcore-deploy (nx run-many … --batch): every task in one process, one run scope for all.
import { batchOf } from '../../lib/task/batch';
import { agentcoreDeployExecutor, defaultDeps } from './executor';
import type { AgentcoreDeployExecutorSchema } from './schema';

export const agentcoreDeployExecutorBatch = batchOf<AgentcoreDeployExecutorSchema>((options, context, scope) =>
  agentcoreDeployExecutor(options, context, { ...defaultDeps(), scope }),
);
export default agentcoreDeployExecutorBatch;
