// A real ecr-push process for the fault suite's signal and kill cases (a signal to the jest process would end the
// suite): runs the executor on the context file named by argv[2], as Nx runs a task, and exits 0 or 1.
import { logger, type ExecutorContext } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { ecrPushExecutor } from 'nx-agent-ecr/src/executors/ecr-push/executor';
import type { EcrPushExecutorSchema } from 'nx-agent-ecr/src/executors/ecr-push/schema';

const { context, options } = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as {
  context: ExecutorContext;
  options: EcrPushExecutorSchema;
};
logger.info(`runner pid ${process.pid}`);
void ecrPushExecutor(options, context).then(
  ({ success }) => process.exit(success ? 0 : 1),
  (error: unknown) => {
    logger.error(`runner: the executor threw ${String(error)}`);
    process.exit(2);
  },
);
