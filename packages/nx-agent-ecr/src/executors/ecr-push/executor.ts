// Executor nx-agent-ecr:ecr-push: credentials → repository → skip, promote or push → verify → record.
import { logger, type ExecutorContext } from '@nx/devkit';
import { createAwsPorts, type AwsPorts, type AwsTarget } from '../../lib/aws';
import { checkCredentials, describeCredentialSource } from '../../lib/credentials';
import { describeRepository, ensureRepository, verifyTags, type EnsuredRepository } from '../../lib/ecr';
import { oneLine, redact, UserError } from '../../lib/errors';
import { resolveTags } from '../../lib/naming';
import { runProcess, type ProcessRunner } from '../../lib/process';
import { DockerLoginSession } from '../../lib/registry-login';
import { ecrPushRecordPath, imageUris, writeEcrPushRecord, type EcrPushRecord } from '../../lib/report';
import { applyAction } from './apply';
import { readBuildInput, type BuildInput } from './build-input';
import { normalizeOptions, type NormalizedOptions } from './normalize-options';
import { decideAction, formatPlan } from './plan';
import type { EcrPushExecutorSchema } from './schema';

export interface EcrPushDeps {
  run: ProcessRunner;
  aws: (target: AwsTarget) => AwsPorts;
  env: NodeJS.ProcessEnv;
  readBuild: (workspaceRoot: string, projectRoot: string) => Promise<BuildInput>;
  newSession: (ports: AwsPorts) => DockerLoginSession;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export const defaultDeps = (): EcrPushDeps => ({
  run: runProcess,
  aws: createAwsPorts,
  env: process.env,
  readBuild: readBuildInput,
  newSession: (ports) => new DockerLoginSession({ ecr: ports.ecr }),
});

export async function ecrPushExecutor(
  options: EcrPushExecutorSchema,
  context: ExecutorContext,
  deps: EcrPushDeps = defaultDeps(),
): Promise<{ success: boolean }> {
  const started = Date.now();
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  let session: DockerLoginSession | undefined;
  try {
    const opts = normalizeOptions(options, context, deps.env);
    const ports = deps.aws({ region: opts.region, profile: opts.profile, maxAttempts: opts.maxAwsAttempts });
    const identity = await checkCredentials(ports.sts, describeCredentialSource(opts.profile, deps.env));
    if (opts.verbose) logger.info(`AWS identity: ${identity.arn}`);
    const build = await deps.readBuild(opts.workspaceRoot, opts.projectRoot);
    const gitSha = await gitShortSha(deps.run, opts.workspaceRoot);
    const tags = resolveTags(opts.tags, { gitSha, environment: opts.naming.environment, contentTag: build.contentTag });
    const repo = opts.dryRun ? await describeOnly(ports, opts) : await ensureRepository(ports.ecr, opts.repository);
    for (const line of repo?.drift ?? []) logger.warn(`Repository ${opts.naming.repositoryName}: ${line} (not changed).`);
    const action = await decideAction(ports.ecr, {
      repositoryName: opts.naming.repositoryName,
      repositoryExists: repo !== undefined,
      promoteFromRepository: opts.promoteFromRepository,
      contentTag: build.contentTag,
      localRef: build.localRef,
    });
    const plan = formatPlan({ repositoryName: opts.naming.repositoryName, repositoryUri: repo?.repositoryUri, repositoryExists: repo !== undefined, tags, action });
    if (opts.dryRun) {
      logger.info(['Dry run (read-only calls only: STS, DescribeRepositories, DescribeImages); nothing created, logged in to or pushed.', ...plan].join('\n  '));
      writeRecord(opts, build, { repositoryUri: repo?.repositoryUri ?? '', digest: action.kind === 'retag' ? action.image.digest : '', tags, sizeBytes: 0, pushedAt: new Date(), outcome: 'dry-run' }, started, gitSha);
      return { success: true };
    }
    const target = repo as EnsuredRepository;
    if (opts.verbose) logger.info(plan.join('\n'));
    const applied = await applyAction(
      {
        ecr: ports.ecr,
        run: deps.run,
        session: () => (session ??= deps.newSession(ports)),
        repositoryName: target.repositoryName,
        repositoryUri: target.repositoryUri,
        contentTag: build.contentTag,
        tags,
        pushAttempts: opts.pushAttempts,
        fetch: deps.fetch,
        sleep: deps.sleep,
        signal: abort.signal,
        log: (line) => logger.info(line),
      },
      action,
    );
    const verified = await verifyTags(ports.ecr, target.repositoryName, applied.digest, tags);
    const timing = applied.transferMs === undefined ? '' : ` in ${(applied.transferMs / 1000).toFixed(1)}s`;
    logger.info(`${applied.outcome}: ${target.repositoryName}@${applied.digest} (${verified.sizeBytes ?? '?'} bytes${timing})`);
    const record = writeRecord(opts, build, { ...target, digest: applied.digest, tags, sizeBytes: verified.sizeBytes ?? 0, pushedAt: verified.pushedAt ?? new Date(), outcome: applied.outcome }, started, gitSha);
    logger.info(record.imageUris.join('\n'));
    return { success: true };
  } catch (error) {
    const secrets = [deps.env['AWS_SECRET_ACCESS_KEY'], deps.env['AWS_SESSION_TOKEN'], ...(session?.secrets() ?? [])];
    logger.error(redact(error instanceof UserError ? error.message : `ecr-push failed: ${oneLine(error)}`, secrets));
    return { success: false };
  } finally {
    session?.dispose();
    process.removeListener('SIGINT', onSignal).removeListener('SIGTERM', onSignal);
  }
}

async function describeOnly(ports: AwsPorts, opts: NormalizedOptions): Promise<EnsuredRepository | undefined> {
  const repo = await describeRepository(ports.ecr, opts.naming.repositoryName);
  if (!repo?.repositoryUri || !repo.registryId) return undefined;
  return { repositoryName: opts.naming.repositoryName, repositoryUri: repo.repositoryUri, registryId: repo.registryId, created: false, drift: [] };
}

/** The git short sha for the default tag, or undefined outside a git checkout (the tag is then left out). */
export async function gitShortSha(run: ProcessRunner, cwd: string): Promise<string | undefined> {
  const result = await run('git', ['rev-parse', '--short', 'HEAD'], { cwd }).catch(() => undefined);
  if (result?.exitCode === 0 && result.stdout.trim()) return result.stdout.trim();
  logger.warn('No git commit found: pushing without the git-sha tag.');
  return undefined;
}

type RecordFacts = Pick<EcrPushRecord, 'repositoryUri' | 'digest' | 'tags' | 'sizeBytes' | 'outcome'> & { pushedAt: Date };

function writeRecord(opts: NormalizedOptions, build: BuildInput, facts: RecordFacts, started: number, gitSha: string | undefined): EcrPushRecord {
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
  writeEcrPushRecord(ecrPushRecordPath(opts.workspaceRoot, opts.projectRoot), record);
  return record;
}

export default ecrPushExecutor;
