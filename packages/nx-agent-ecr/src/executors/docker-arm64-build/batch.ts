// Batch implementation of docker-arm64-build (nx run-many … --batch): every task in one process, one run scope for all.
import { batchOf } from '../../lib/task/batch';
import { defaultBuildDeps, dockerArm64BuildExecutor } from './executor';
import type { DockerArm64BuildExecutorSchema } from './schema';

export const dockerArm64BuildExecutorBatch = batchOf<DockerArm64BuildExecutorSchema>((options, context, scope) =>
  dockerArm64BuildExecutor(options, context, { ...defaultBuildDeps, scope }),
);
export default dockerArm64BuildExecutorBatch;
