// The frame of one deploy task, shared by ecs-deploy and agentcore-deploy: one AbortSignal (SIGINT/SIGTERM), the
// one-line error (plus the last events of a failed rollout), and deploy.json written on success and on failure.
import { logger, type ExecutorContext } from '@nx/devkit';
import { oneLine, redact, UserError } from '../errors';
import { writeDeployRecord, type DeployRecord } from './deploy-record';
import { RolloutError } from './ecs-rollout';
import { projectOf } from './deploy-target';

type Executor = DeployRecord['executor'];
export type DeployResult = Omit<DeployRecord, 'project' | 'executor' | 'seconds' | 'recordedAt' | 'error' | 'events'>;

/** Facts a task learns on the way, so that a failure record says how far it got. */
export interface DeployProgress {
  signal: AbortSignal;
  facts: Partial<DeployResult>;
}

export async function runDeployTask(
  executor: Executor,
  context: ExecutorContext,
  env: NodeJS.ProcessEnv,
  body: (progress: DeployProgress) => Promise<DeployResult>,
): Promise<{ success: boolean }> {
  const started = Date.now();
  const abort = new AbortController();
  const onSignal = () => abort.abort(new UserError(`${executor} was cancelled.`));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const progress: DeployProgress = { signal: abort.signal, facts: { changes: [] } };
  const write = (result: Partial<DeployRecord>) => {
    const where = safeProject(executor, context);
    if (!where) return;
    const record: DeployRecord = {
      project: where.project,
      executor,
      environment: '',
      outcome: 'failed',
      changes: [],
      ...progress.facts,
      ...result,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      recordedAt: new Date().toISOString(),
    };
    writeDeployRecord(context.root, where.projectRoot, record);
  };
  try {
    const result = await body(progress);
    write(result);
    return { success: true };
  } catch (error) {
    const reason = abort.signal.aborted ? abort.signal.reason : error;
    const line = redact(reason instanceof UserError ? reason.message : `${executor} failed: ${oneLine(reason)}`, [env['AWS_SECRET_ACCESS_KEY'], env['AWS_SESSION_TOKEN']]);
    const events = reason instanceof RolloutError ? reason.view.events : undefined;
    logger.error([line, ...(events?.length ? ['Last service events:', ...events.map((e) => `  ${e}`)] : [])].join('\n'));
    write({ outcome: 'failed', error: line, ...(events ? { events } : {}) });
    return { success: false };
  } finally {
    process.removeListener('SIGINT', onSignal).removeListener('SIGTERM', onSignal);
  }
}

function safeProject(executor: string, context: ExecutorContext): { project: string; projectRoot: string } | undefined {
  try {
    return projectOf(executor, context);
  } catch {
    return undefined;
  }
}
