// Executor nx-agent-ecr:ecr-push — owns the delivery of one image, in phases a batch can call per task:
// prepare (both option sets) → credentials → facts (content tag, presence, local build) → plan (pure) → apply
// (repository, build if needed, retag/promote/push) → verify → record. A dry run stops after the plan.
import type { ExecutorContext } from '@nx/devkit';
import { logger } from '../../lib/log';
import { BuildFailedError, buildImage, plannedBuildCommand } from '../../lib/docker/build-image';
import { hostFacts, type MachineFacts } from '../../lib/docker/machine';
import { verifyTags } from '../../lib/ecr/images';
import { ensureRepository } from '../../lib/ecr/repository';
import { oneLine, redact, UserError } from '../../lib/errors';
import { runProcess, withSignal, type ProcessRunner } from '../../lib/process';
import { imageUris, writeEcrPushRecord, type EcrPushRecord } from '../../lib/records/ecr-push-record';
import { createRunScope, type RunScope } from '../../lib/task/run-scope';
import { applyPlan } from './apply';
import { lookUpFacts, lookupIo, verifiedIdentity, type PushFacts } from './facts';
import { formatPlan, planDelivery } from './plan';
import { preparePush, targetString, type PreparedPush } from './prepare';
import type { EcrPushExecutorSchema } from './schema';

export interface EcrPushDeps {
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
  machine: MachineFacts;
  now: () => Date;
  /** The batch's run scope; a task alone opens one with `newScope` and closes it when it returns. */
  scope?: RunScope;
  newScope?: () => RunScope;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export const defaultDeps = (): EcrPushDeps => ({ run: runProcess, env: process.env, machine: hostFacts, now: () => new Date() });

export async function ecrPushExecutor(
  options: EcrPushExecutorSchema,
  context: ExecutorContext,
  deps: EcrPushDeps = defaultDeps(),
): Promise<{ success: boolean }> {
  const started = Date.now();
  // One signal per task: Ctrl-C/SIGTERM abort it, and it reaches every child process and AWS call of the task.
  const scope = deps.scope ?? (deps.newScope ?? createRunScope)();
  const task = scope.startTask();
  const run = withSignal(deps.run, task.signal);
  try {
    const prepared = preparePush(options, context, deps.env);
    const { push: opts, build } = prepared;
    const ports = scope.aws(prepared.aws, task.signal);
    const identity = await verifiedIdentity(scope, prepared, deps.env);
    if (opts.verbose) logger.info(`AWS identity: ${identity.arn}`);
    const facts = await lookUpFacts(prepared, lookupIo(scope, prepared, run));
    for (const line of facts.repository?.drift ?? []) logger.warn(`Repository ${opts.naming.repositoryName}: ${line} (not changed).`);
    const plan = planDelivery({
      project: opts.project,
      buildTarget: targetString(prepared.buildTarget),
      mayBuild: opts.build,
      contentTag: facts.contentTag,
      localRef: `${build.imageName}:${facts.contentTag}`,
      presence: facts.presence,
      localBuild: facts.localBuild,
    });
    const view = {
      repositoryName: opts.naming.repositoryName,
      repositoryUri: facts.repository?.repositoryUri,
      repositoryExists: facts.repository !== undefined,
      tags: facts.tags,
      plan,
    };
    if (opts.dryRun) {
      const buildCommand =
        plan.build.kind === 'build' ? await plannedBuildCommand(build, facts.contentTag, { run, now: deps.now }) : undefined;
      const lines = formatPlan({ ...view, buildCommand });
      const calls = 'read-only calls only: STS, DescribeRepositories, DescribeImages';
      logger.info([`Dry run (${calls}); nothing built, created, logged in to or pushed.`, ...lines].join('\n  '));
      const digest = plan.action.kind === 'retag' ? plan.action.image.digest : '';
      await writeRecord(
        prepared,
        facts,
        { repositoryUri: view.repositoryUri ?? '', digest, sizeBytes: 0, pushedAt: new Date(), outcome: 'dry-run', built: false },
        started,
      );
      return { success: true };
    }
    if (opts.verbose) logger.info(formatPlan(view).join('\n'));
    // The lookup described it already; only a repository that did not exist is created (and described again).
    const repository = facts.repository ?? (await ensureRepository(ports.ecr, opts.repository));
    const log = (line: string) => logger.info(line);
    const applied = await applyPlan(
      {
        ecr: ports.ecr,
        run,
        session: () => scope.loginSession(prepared.aws),
        repositoryName: repository.repositoryName,
        repositoryUri: repository.repositoryUri,
        contentTag: facts.contentTag,
        tags: facts.tags,
        pushAttempts: opts.pushAttempts,
        fetch: deps.fetch,
        sleep: deps.sleep,
        signal: task.signal,
        log,
        build: () => buildImage(build, facts.contentTag, { run, machine: deps.machine, now: deps.now, log }),
      },
      plan,
    );
    // Nothing moved: this run's lookup already showed every tag on the digest, and is the verification.
    const verified =
      applied.outcome === 'skipped' && plan.action.kind === 'retag'
        ? plan.action.image
        : await verifyTags(ports.ecr, repository.repositoryName, applied.digest, facts.tags);
    const timing = applied.transferMs === undefined ? '' : ` in ${(applied.transferMs / 1000).toFixed(1)}s`;
    logger.info(`${applied.outcome}: ${repository.repositoryName}@${applied.digest} (${verified.sizeBytes ?? '?'} bytes${timing})`);
    const record = await writeRecord(
      prepared,
      facts,
      {
        repositoryUri: repository.repositoryUri,
        digest: applied.digest,
        sizeBytes: verified.sizeBytes ?? 0,
        pushedAt: verified.pushedAt ?? new Date(),
        outcome: applied.outcome,
        built: plan.build.kind !== 'none',
      },
      started,
    );
    logger.info(record.imageUris.join('\n'));
    return { success: true };
  } catch (error) {
    const secrets = [deps.env['AWS_SECRET_ACCESS_KEY'], deps.env['AWS_SESSION_TOKEN'], ...scope.secrets()];
    const message = task.signal.aborted
      ? `ecr-push of ${context.projectName} canceled.`
      : error instanceof UserError || (error instanceof Error && error.name === 'BuildPreconditionError')
        ? error.message
        : `ecr-push failed: ${oneLine(error)}`;
    logger.error(redact(message, secrets));
    if (error instanceof BuildFailedError && !task.signal.aborted) error.details.forEach((line) => logger.error(redact(line, secrets)));
    return { success: false };
  } finally {
    task.end();
    if (!deps.scope) scope.dispose();
  }
}

type RecordFacts = Pick<EcrPushRecord, 'repositoryUri' | 'digest' | 'sizeBytes' | 'outcome' | 'built'> & { pushedAt: Date };

async function writeRecord(prepared: PreparedPush, facts: PushFacts, record: RecordFacts, started: number): Promise<EcrPushRecord> {
  const { push } = prepared;
  const full: EcrPushRecord = {
    project: push.project,
    repositoryName: push.naming.repositoryName,
    ...record,
    tags: facts.tags,
    imageUris: record.repositoryUri ? imageUris(record.repositoryUri, facts.tags, record.digest) : [],
    pushedAt: record.pushedAt.toISOString(),
    seconds: Math.round((Date.now() - started) / 100) / 10,
    recordedAt: new Date().toISOString(),
    contentTag: facts.contentTag,
    ...(facts.gitSha ? { gitSha: facts.gitSha } : {}),
  };
  await writeEcrPushRecord(push.workspaceRoot, push.projectRoot, full);
  return full;
}

export default ecrPushExecutor;
