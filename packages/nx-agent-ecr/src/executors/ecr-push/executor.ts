// Executor nx-agent-ecr:ecr-push: credentials → repository → where the content lives → retag, promote or push →
// verify → record. A dry run plans from the content tag docker-build would compute, and changes nothing.
import { logger, type ExecutorContext } from '@nx/devkit';
import type { AwsPorts } from '../../lib/aws/clients';
import { checkCredentials, describeCredentialSource } from '../../lib/aws/credentials';
import { verifyTags } from '../../lib/ecr/images';
import { describeRepository, ensureRepository, type EnsuredRepository } from '../../lib/ecr/repository';
import { scanGate, type ScannedImage } from '../../lib/ecr/scan-gate';
import { oneLine, redact, UserError } from '../../lib/errors';
import { resolveTags } from '../../lib/ecr/naming';
import { runProcess, withSignal, type ProcessRunner } from '../../lib/process';
import { createRunScope, type RunScope } from '../../lib/task/run-scope';
import { plannedImage, type PlannedImage } from '../docker-arm64-build/planned-image';
import { imageUris, writeEcrPushRecord, type EcrPushRecord } from '../../lib/records/ecr-push-record';
import { applyAction } from './apply';
import { readBuildInput, type BuildInput } from './build-input';
import { normalizeOptions, type NormalizedOptions } from './normalize-options';
import { decideAction, formatPlan } from './plan';
import type { EcrPushExecutorSchema } from './schema';

export interface EcrPushDeps {
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
  readBuild: (workspaceRoot: string, projectRoot: string) => Promise<BuildInput>;
  /** The image a dry run plans from: docker-build builds nothing when only a dry-run push waits for it. */
  planImage: (context: ExecutorContext, env: NodeJS.ProcessEnv) => Promise<PlannedImage>;
  /** The batch's run scope; a task alone opens one with `newScope` and closes it when it returns. */
  scope?: RunScope;
  newScope?: () => RunScope;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export const defaultDeps = (): EcrPushDeps => ({
  run: runProcess,
  env: process.env,
  readBuild: readBuildInput,
  planImage: plannedImage,
});

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
    const opts = normalizeOptions(options, context, deps.env);
    const target = opts.target;
    const ports = scope.aws(target, task.signal);
    // Another account's or region's registry: its own clients (its role assumed on first use) and login.
    const remote = opts.promoteSource;
    const sourceEcr = remote && scope.aws(remote.target, task.signal).ecr;
    const identity = await checkCredentials(ports.sts, describeCredentialSource(opts.profile, deps.env));
    if (opts.verbose) logger.info(`AWS identity: ${identity.arn}`);
    const build = opts.dryRun ? await plannedBuild(deps, context) : await deps.readBuild(opts.workspaceRoot, opts.projectRoot);
    const gitSha = await gitShortSha(run, opts.workspaceRoot);
    const tags = resolveTags(opts.tags, {
      gitSha,
      environment: opts.naming.environment,
      contentTag: build.contentTag,
    });
    const repo = opts.dryRun ? await describeOnly(ports, opts) : await ensureRepository(ports.ecr, opts.repository);
    for (const line of repo?.drift ?? []) logger.warn(`Repository ${opts.naming.repositoryName}: ${line} (not changed).`);
    const presence = await scope.presence(target).locate({
      repositoryName: opts.naming.repositoryName,
      promoteFromRepository: opts.promoteFromRepository,
      contentTag: build.contentTag,
      repositoryUri: repo?.repositoryUri,
      ...(remote && sourceEcr ? { source: { ecr: sourceEcr, registryId: remote.registryId } } : {}),
    });
    const action = decideAction(presence, build.localRef);
    const plan = formatPlan({
      repositoryName: opts.naming.repositoryName,
      repositoryUri: repo?.repositoryUri,
      repositoryExists: repo !== undefined,
      tags,
      action,
      unbuilt: opts.dryRun,
      gate: opts.scanGate?.threshold,
      sourceLabel: remote?.label,
    });
    if (opts.dryRun) {
      logger.info(
        [
          'Dry run (read-only calls only: STS, DescribeRepositories, DescribeImages); nothing built, created, logged in to or pushed.',
          ...plan,
        ].join('\n  '),
      );
      await writeRecord(
        opts,
        build,
        {
          repositoryUri: repo?.repositoryUri ?? '',
          digest: action.kind === 'retag' ? action.image.digest : '',
          tags,
          sizeBytes: 0,
          pushedAt: new Date(),
          outcome: 'dry-run',
        },
        started,
        gitSha,
      );
      return { success: true };
    }
    const ensured = repo as EnsuredRepository;
    if (opts.verbose) logger.info(plan.join('\n'));
    const applied = await applyAction(
      {
        ecr: ports.ecr,
        run,
        session: () => scope.loginSession(target),
        repositoryName: ensured.repositoryName,
        repositoryUri: ensured.repositoryUri,
        contentTag: build.contentTag,
        tags,
        pushAttempts: opts.pushAttempts,
        fetch: deps.fetch,
        sleep: deps.sleep,
        signal: task.signal,
        log: (line) => logger.info(line),
        gate: opts.scanGate && gateWith(opts.scanGate, { signal: task.signal, sleep: deps.sleep }),
        ...(remote && sourceEcr
          ? { source: { ecr: sourceEcr, registryId: remote.registryId, session: () => scope.loginSession(remote.target) } }
          : {}),
      },
      action,
    );
    const verified = await verifyTags(ports.ecr, ensured.repositoryName, applied.digest, tags);
    const timing = applied.transferMs === undefined ? '' : ` in ${(applied.transferMs / 1000).toFixed(1)}s`;
    logger.info(`${applied.outcome}: ${ensured.repositoryName}@${applied.digest} (${verified.sizeBytes ?? '?'} bytes${timing})`);
    const record = await writeRecord(
      opts,
      build,
      {
        ...ensured,
        digest: applied.digest,
        tags,
        sizeBytes: verified.sizeBytes ?? 0,
        pushedAt: verified.pushedAt ?? new Date(),
        outcome: applied.outcome,
        ...(applied.scan ? { scan: { status: applied.scan.status, counts: applied.scan.counts, threshold: applied.scan.threshold } } : {}),
      },
      started,
      gitSha,
    );
    logger.info(record.imageUris.join('\n'));
    return { success: true };
  } catch (error) {
    const secrets = [deps.env['AWS_SECRET_ACCESS_KEY'], deps.env['AWS_SESSION_TOKEN'], ...scope.secrets()];
    const message = task.signal.aborted
      ? `ecr-push of ${context.projectName} canceled.`
      : error instanceof UserError
        ? error.message
        : `ecr-push failed: ${oneLine(error)}`;
    logger.error(redact(message, secrets));
    return { success: false };
  } finally {
    task.end();
    if (!deps.scope) scope.dispose();
  }
}

/** The scan gate bound to this task: its verdict goes to the log, a blocked image throws its ScanGateError. */
function gateWith(options: NonNullable<NormalizedOptions['scanGate']>, deps: Parameters<typeof scanGate>[2]) {
  return async (image: ScannedImage) => {
    const verdict = await scanGate(image, options, deps);
    logger.info(verdict.line);
    return verdict;
  };
}

/** A dry run's build input: the content tag docker-build would compute, nothing built. */
async function plannedBuild(deps: EcrPushDeps, context: ExecutorContext): Promise<BuildInput> {
  const planned = await deps.planImage(context, deps.env);
  return { ...planned, built: false };
}

async function describeOnly(ports: AwsPorts, opts: NormalizedOptions): Promise<EnsuredRepository | undefined> {
  const repo = await describeRepository(ports.ecr, opts.naming.repositoryName);
  if (!repo?.repositoryUri || !repo.registryId) return undefined;
  return {
    repositoryName: opts.naming.repositoryName,
    repositoryUri: repo.repositoryUri,
    registryId: repo.registryId,
    created: false,
    drift: [],
  };
}

/** The git short sha for the default tag, or undefined outside a git checkout (the tag is then left out). */
export async function gitShortSha(run: ProcessRunner, cwd: string): Promise<string | undefined> {
  const result = await run('git', ['rev-parse', '--short', 'HEAD'], { cwd }).catch(() => undefined);
  if (result?.exitCode === 0 && result.stdout.trim()) return result.stdout.trim();
  logger.warn('No git commit found: pushing without the git-sha tag.');
  return undefined;
}

type RecordFacts = Pick<EcrPushRecord, 'repositoryUri' | 'digest' | 'tags' | 'sizeBytes' | 'outcome' | 'scan'> & { pushedAt: Date };

async function writeRecord(
  opts: NormalizedOptions,
  build: BuildInput,
  facts: RecordFacts,
  started: number,
  gitSha: string | undefined,
): Promise<EcrPushRecord> {
  const record: EcrPushRecord = {
    project: opts.project,
    repositoryName: opts.naming.repositoryName,
    ...facts,
    imageUris: facts.repositoryUri ? imageUris(facts.repositoryUri, facts.tags, facts.digest) : [],
    pushedAt: facts.pushedAt.toISOString(),
    seconds: Math.round((Date.now() - started) / 100) / 10,
    built: build.built,
    recordedAt: new Date().toISOString(),
    contentTag: build.contentTag,
    ...(gitSha ? { gitSha } : {}),
  };
  await writeEcrPushRecord(opts.workspaceRoot, opts.projectRoot, record);
  return record;
}

export default ecrPushExecutor;
