// The frame of one deploy task, shared by ecs-deploy and agentcore-deploy: the task's signal from the run scope,
// the one-line error (plus the last events of a failed rollout), and deploy.json written on success and on failure.
import { logger, type ExecutorContext } from '@nx/devkit';
import { oneLine, redact, UserError } from '../errors';
import { writeDeployRecord, type DeployRecord } from '../records/deploy-record';
import { createRunScope, type RunScope } from '../task/run-scope';
import { projectOf } from './deploy-target';
import { RolloutError } from './ecs-rollout';

type Executor = DeployRecord['executor'];
export type DeployResult = Omit<DeployRecord, 'project' | 'executor' | 'seconds' | 'recordedAt' | 'error' | 'events'>;

export interface DeployTaskDeps {
  env: NodeJS.ProcessEnv;
  /** The batch's run scope; a task alone opens one with `newScope` and closes it when it returns. */
  scope?: RunScope;
  newScope?: () => RunScope;
}

/** What the task's body gets: its signal and scope, and the facts it learns on the way, so a failure record says how far it got. */
export interface DeployProgress {
  signal: AbortSignal;
  scope: RunScope;
  facts: Partial<DeployResult>;
}

export async function runDeployTask(
  executor: Executor,
  context: ExecutorContext,
  deps: DeployTaskDeps,
  body: (progress: DeployProgress) => Promise<DeployResult>,
): Promise<{ success: boolean }> {
  const started = Date.now();
  // One signal per task: Ctrl-C/SIGTERM abort it, and it reaches every AWS call and wait of the task.
  const scope = deps.scope ?? (deps.newScope ?? createRunScope)();
  const task = scope.startTask();
  const progress: DeployProgress = { signal: task.signal, scope, facts: { changes: [] } };
  const write = async (result: Partial<DeployRecord>) => {
    const where = safeProject(executor, context);
    if (!where) return;
    await writeDeployRecord(context.root, where.projectRoot, {
      project: where.project,
      executor,
      environment: '',
      outcome: 'failed',
      changes: [],
      ...progress.facts,
      ...result,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      recordedAt: new Date().toISOString(),
    });
  };
  try {
    await write(await body(progress));
    return { success: true };
  } catch (error) {
    const message = task.signal.aborted
      ? `${executor} of ${context.projectName} canceled.`
      : error instanceof UserError
        ? error.message
        : `${executor} failed: ${oneLine(error)}`;
    const line = redact(message, [deps.env['AWS_SECRET_ACCESS_KEY'], deps.env['AWS_SESSION_TOKEN'], ...scope.secrets()]);
    const events = error instanceof RolloutError && !task.signal.aborted ? error.view.events : undefined;
    logger.error([line, ...(events?.length ? ['Last service events:', ...events.map((e) => `  ${e}`)] : [])].join('\n'));
    // The failure is what the user must see; a record that cannot be written is a second line, not a crash.
    await write({ outcome: 'failed', error: line, ...(events ? { events } : {}) }).catch((writeError: unknown) =>
      logger.error(`Could not write deploy.json: ${oneLine(writeError)}`),
    );
    return { success: false };
  } finally {
    task.end();
    if (!deps.scope) scope.dispose();
  }
}

function safeProject(executor: string, context: ExecutorContext): { project: string; projectRoot: string } | undefined {
  try {
    return projectOf(executor, context);
  } catch {
    return undefined;
  }
}
