// Batch implementation of docker-run (nx run-many … --batch): every check in one process, one run scope for all.
import { batchOf } from '../../lib/task/batch';
import { defaultDeps, dockerRunExecutor } from './executor';
import type { DockerRunExecutorSchema } from './schema';

export const dockerRunExecutorBatch = batchOf<DockerRunExecutorSchema>((options, context, scope) =>
  dockerRunExecutor(options, context, { ...defaultDeps(), scope }),
);
export default dockerRunExecutorBatch;
