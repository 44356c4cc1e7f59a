// Executor nx-agent-ecr:ecr-push — owns the delivery of one image, in phases a batch can call per task:
// prepare (both option sets) → credentials → facts (content tag, presence, immutable tags, latest, local build) →
// plan (pure) → apply (repository, build if needed, content tag, then the other tags with `latest` last) → verify
// → record. A dry run stops after the plan; every other run leaves a record, success or failure.
import type { ExecutorContext } from '@nx/devkit';
import { logger } from '../../lib/log';
import { BuildFailedError, buildImage, plannedBuildCommand, probeForBuild } from '../../lib/docker/build-image';
import { hostFacts, type MachineFacts } from '../../lib/docker/machine';
import { retag, TagMoveError } from '../../lib/ecr/images';
import { imageRevision } from '../../lib/ecr/image-revision';
import { ensureRepository } from '../../lib/ecr/repository';
import { LATEST } from '../../lib/ecr/tags';
import { scanGate, type ScannedImage } from '../../lib/ecr/scan-gate';
import { verifyTags } from '../../lib/ecr/verify';
import { oneLine, redact, UserError } from '../../lib/errors';
import { runProcess, withSignal, type ProcessRunner } from '../../lib/process';
import { createRunScope, type RunScope } from '../../lib/task/run-scope';
import { lazily } from '../../lib/task/settled';
import { applyPlan, type Progress } from './apply';
import { lookUpFacts, lookupIo, scopeBaseDigests, scopeMachine, verifiedIdentity } from './facts';
import { latestDecision, settleLatest, type LatestIo } from './latest-guard';
import type { NormalizedOptions } from './normalize-options';
import { formatPlan, planDelivery } from './plan';
import { preparePush, targetString } from './prepare';
import { recordTarget, writeFailure, writeInProgress, writeSuccess, type RecordTarget } from './record';
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

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function ecrPushExecutor(
  options: EcrPushExecutorSchema,
  context: ExecutorContext,
  deps: EcrPushDeps = defaultDeps(),
): Promise<{ success: boolean }> {
  const target = recordTarget(context, Date.now());
  const progress: Progress = { moved: [] };
  // One signal per task: Ctrl-C/SIGTERM/SIGHUP abort it, and it reaches every child process and AWS call of the task.
  const scope = deps.scope ?? (deps.newScope ?? createRunScope)();
  const task = scope.startTask();
  let run = withSignal(deps.run, task.signal);
  const sleep = deps.sleep ?? pause;
  let dryRun = options.dryRun ?? false;
  try {
    const prepared = preparePush(options, context, deps.env);
    const { push: opts, build } = prepared;
    dryRun = opts.dryRun;
    run = withSignal(deps.run, task.signal, opts.commandTimeoutMs);
    if (target) target.repositoryName = opts.naming.repositoryName;
    const ports = scope.aws(prepared.aws, task.signal);
    // Another account's or region's registry: its own clients (its role assumed on first use) and login.
    const remote = opts.promoteSource;
    const sourceEcr = remote && scope.aws(remote.target, task.signal).ecr;
    const identity = await verifiedIdentity(scope, prepared, deps.env);
    if (opts.verbose) logger.info(`AWS identity: ${identity.arn}`);
    const session = () => scope.loginSession(prepared.aws);
    const http = { auth: (fresh?: boolean) => (fresh ? session().relogin() : session().login()), fetch: deps.fetch, signal: task.signal };
    const revisionOf: LatestIo['revisionOf'] = (repositoryName, digest) => imageRevision(ports.ecr, http, repositoryName, digest);
    const baseDigest = scopeBaseDigests(scope, prepared, run, { env: deps.env, fetch: deps.fetch, signal: task.signal });
    // The machine probes start once ECR turns out to lack the content, beside the remaining lookups (a batch's planner
    // started reading the machine already). Not in a dry run (nothing probed), nor when they may create a builder (a
    // side effect waits for the plan).
    const reading = scopeMachine(scope, prepared, run);
    const probes = lazily(() => probeForBuild(build, { run, machine: deps.machine, reading }));
    const facts = await lookUpFacts(prepared, {
      ...lookupIo(scope, prepared, run, ports.ecr, baseDigest),
      revisionOf: dryRun ? undefined : revisionOf,
      buildLikely: reading && probes.start,
      ...(remote && sourceEcr ? { source: { ecr: sourceEcr, registryId: remote.registryId } } : {}),
    });
    Object.assign(target ?? {}, { contentTag: facts.contentTag, gitSha: facts.head?.short });
    for (const line of facts.repository?.drift ?? []) logger.warn(`Repository ${opts.naming.repositoryName}: ${line} (not changed).`);
    const plan = planDelivery({
      project: opts.project,
      buildTarget: targetString(prepared.buildTarget),
      mayBuild: opts.build,
      contentTag: facts.contentTag,
      localRef: `${build.imageName}:${facts.contentTag}`,
      presence: facts.presence,
      localBuild: facts.localBuild,
      repositoryName: opts.naming.repositoryName,
      mutability: facts.mutability,
      immutableHolders: facts.immutableHolders,
    });
    const view = {
      repositoryName: opts.naming.repositoryName,
      repositoryUri: facts.repository?.repositoryUri,
      repositoryExists: facts.repository !== undefined,
      tags: facts.tags,
      plan,
      // Only a printed plan waits for the `latest` guard; the move asks it again right before it.
      latest: dryRun || opts.verbose ? await facts.latest : undefined,
      gate: opts.scanGate?.threshold,
      sourceLabel: remote?.label,
    };
    if (dryRun) {
      const buildCommand =
        plan.build.kind === 'build' ? await plannedBuildCommand(build, facts.contentTag, { run, now: deps.now }) : undefined;
      const calls = 'read-only calls only: STS, DescribeRepositories, DescribeImages';
      logger.info(
        [`Dry run (${calls}); nothing built, created, logged in to or pushed.`, ...formatPlan({ ...view, buildCommand })].join('\n  '),
      );
      const digest = plan.action.kind === 'retag' ? plan.action.image.digest : '';
      if (target) {
        const uri = view.repositoryUri ?? '';
        await writeSuccess(target, {
          repositoryUri: uri,
          digest,
          tags: facts.tags,
          sizeBytes: 0,
          pushedAt: new Date(),
          outcome: 'dry-run',
          built: false,
          platforms: build.platforms,
        });
      }
      return { success: true };
    }
    if (opts.verbose) logger.info(formatPlan(view).join('\n'));
    if (target) await writeInProgress(target);
    // The lookup described it already; only a repository that did not exist is created (and described again).
    const repository = facts.repository ?? (await ensureRepository(ports.ecr, opts.repository));
    const log = (line: string) => logger.info(line);
    const visible = { timeoutMs: opts.verifyTimeoutMs, sleep };
    const latestIo: LatestIo = { ecr: ports.ecr, run, cwd: opts.workspaceRoot, head: facts.head?.full, revisionOf, once: scope.once };
    const applied = await applyPlan(
      {
        ecr: ports.ecr,
        run,
        session,
        repositoryName: repository.repositoryName,
        repositoryUri: repository.repositoryUri,
        contentTag: facts.contentTag,
        gitSha: facts.head?.short,
        tags: facts.tags,
        pushAttempts: opts.pushAttempts,
        pushTimeoutMs: opts.pushTimeoutMs,
        visible,
        fetch: deps.fetch,
        sleep: deps.sleep,
        signal: task.signal,
        log,
        build: () =>
          buildImage(
            build,
            facts.contentTag,
            { run, machine: deps.machine, now: deps.now, log, probed: probes.get, revision: facts.head?.full },
            facts.bases,
          ),
        mayMoveLatest: (digest) => latestDecision(latestIo, repository.repositoryName, digest),
        gate: opts.scanGate && gateWith(opts.scanGate, { signal: task.signal, sleep: deps.sleep }),
        ...(remote && sourceEcr
          ? { source: { ecr: sourceEcr, registryId: remote.registryId, session: () => scope.loginSession(remote.target) } }
          : {}),
      },
      plan,
      progress,
    );
    const owned = facts.tags.filter((tag) => tag !== LATEST);
    // Nothing moved: this run's lookup already showed every tag on the digest, and is the verification.
    const verified =
      applied.outcome === 'skipped' && plan.action.kind === 'retag'
        ? plan.action.image
        : await verifyTags(ports.ecr, repository.repositoryName, applied.digest, owned, visible);
    // Only a run that moved `latest` can have raced an older run's move; one that found it in place has nothing to settle.
    const latestGone = progress.moved.includes(LATEST)
      ? await settleLatest(
          latestIo,
          repository.repositoryName,
          applied.digest,
          () => retag(ports.ecr, repository.repositoryName, applied.digest, [LATEST]),
          { ms: opts.latestSettleMs, sleep },
        )
      : undefined;
    const latestNote = applied.latestKept ?? latestGone;
    if (latestGone) logger.info(`${LATEST} moved on since: ${latestGone}.`);
    const timing = applied.transferMs === undefined ? '' : ` in ${(applied.transferMs / 1000).toFixed(1)}s`;
    logger.info(`${applied.outcome}: ${repository.repositoryName}@${applied.digest} (${verified.sizeBytes ?? '?'} bytes${timing})`);
    const record = target
      ? await writeSuccess(target, {
          repositoryUri: repository.repositoryUri,
          digest: applied.digest,
          tags: latestNote ? owned : facts.tags,
          sizeBytes: verified.sizeBytes ?? 0,
          pushedAt: verified.pushedAt ?? new Date(),
          outcome: applied.outcome,
          built: plan.build.kind !== 'none',
          platforms: build.platforms,
          notMoved: latestNote ? [{ tag: LATEST, because: latestNote }] : undefined,
          ...(applied.scan
            ? { scan: { status: applied.scan.status, counts: applied.scan.counts, threshold: applied.scan.threshold } }
            : {}),
        })
      : undefined;
    if (record) logger.info(record.imageUris.join('\n'));
    return { success: true };
  } catch (error) {
    const secrets = [deps.env['AWS_SECRET_ACCESS_KEY'], deps.env['AWS_SESSION_TOKEN'], ...scope.secrets()];
    const message = redact(failureLine(error, task.signal.aborted, context, progress), secrets);
    logger.error(message);
    if (error instanceof BuildFailedError && !task.signal.aborted) error.details.forEach((line) => logger.error(redact(line, secrets)));
    if (target && !dryRun) await recordFailure(target, progress, message);
    return { success: false };
  } finally {
    task.end();
    if (!deps.scope) scope.dispose();
  }
}

function failureLine(error: unknown, aborted: boolean, context: ExecutorContext, progress: Progress): string {
  const moved = progress.moved.length ? ` Moved before it stopped: ${progress.moved.join(', ')}; run it again to finish.` : '';
  if (aborted) return `ecr-push of ${context.projectName} canceled.${moved}`;
  if (error instanceof TagMoveError) return error.message;
  const known = error instanceof UserError || (error instanceof Error && error.name === 'BuildPreconditionError');
  return `${known ? (error as Error).message : `ecr-push failed: ${oneLine(error)}`}${moved}`;
}

/** The scan gate bound to this task: its verdict goes to the log, a blocked image throws its ScanGateError. */
function gateWith(options: NonNullable<NormalizedOptions['scanGate']>, deps: Parameters<typeof scanGate>[2]) {
  return async (image: ScannedImage) => {
    const verdict = await scanGate(image, options, deps);
    logger.info(verdict.line);
    return verdict;
  };
}

/** The failure record; a record that cannot be written is reported, never hides the run's own error. */
async function recordFailure(target: RecordTarget, progress: Progress, message: string): Promise<void> {
  await writeFailure(target, 'failed', progress.moved, message).catch((error: unknown) =>
    logger.error(`Could not write the failure record of ${target.project}: ${oneLine(error)}`),
  );
}

export default ecrPushExecutor;
