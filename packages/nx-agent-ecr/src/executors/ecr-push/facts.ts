// Phase 3a of a push: what the plan is made from, read without changing anything — the content tag (recomputed
// from the sources, never taken from a record), the git sha, the repository, where ECR holds the content, and
// whether a docker-build of these sources left its image here.
import { logger } from '../../lib/log';
import { checkCredentials, describeCredentialSource } from '../../lib/aws/credentials';
import { computeContentTag } from '../../lib/content/content-tag';
import { resolveTags } from '../../lib/ecr/naming';
import type { Presence, PresenceLookup } from '../../lib/ecr/presence';
import { repositoryDrift, type EnsuredRepository, type RepositorySettings } from '../../lib/ecr/repository';
import type { RepositoryDirectory } from '../../lib/ecr/repository-directory';
import type { ProcessRunner } from '../../lib/process';
import type { RunScope } from '../../lib/task/run-scope';
import { findLocalBuild, type LocalBuild } from './local-build';
import type { PreparedPush } from './prepare';

export interface PushFacts {
  contentTag: string;
  gitSha?: string;
  /** The content tag first, then the option's tags resolved. */
  tags: string[];
  /** The repository as it exists; undefined when a push would create it. */
  repository?: EnsuredRepository;
  presence: Presence;
  localBuild?: LocalBuild;
}

export interface LookupIo {
  run: ProcessRunner;
  presence: PresenceLookup;
  repositories: RepositoryDirectory;
  /** Computes a fact of the run once however many tasks ask (the run scope's `once`); absent, it just computes. */
  once?: <T>(key: string, compute: () => Promise<T>) => Promise<T>;
}

/** The content tag and git sha of a prepared push, each computed once per run (a planner may have asked already). */
export async function sourceFacts(prepared: PreparedPush, io: Pick<LookupIo, 'run' | 'once'>) {
  const once = io.once ?? (<T>(_key: string, compute: () => Promise<T>) => compute());
  const { push, build } = prepared;
  const hashed = [build.workspaceRoot, build.contextDir, build.dockerfilePath, build.buildArgs, build.target, build.platforms];
  const contentTag = await once(`content-tag\0${JSON.stringify(hashed)}`, () => computeContentTag(build));
  const gitSha = await once(`git-sha\0${push.workspaceRoot}`, () => gitShortSha(io.run, push.workspaceRoot));
  return { contentTag, gitSha };
}

/** The presence question a prepared push asks (the same key whether a planner or the task asks it). */
export function presenceQuery(prepared: PreparedPush, contentTag: string, repositoryUri?: string) {
  const { push } = prepared;
  return { repositoryName: push.naming.repositoryName, promoteFromRepository: push.promoteFromRepository, contentTag, repositoryUri };
}

export async function lookUpFacts(prepared: PreparedPush, io: LookupIo): Promise<PushFacts> {
  const { push, build } = prepared;
  const { contentTag, gitSha } = await sourceFacts(prepared, io);
  const tags = resolveTags(push.tags, { gitSha, environment: push.naming.environment, contentTag });
  const repository = await existingRepository(io.repositories, push.repository);
  const presence = await io.presence.locate(presenceQuery(prepared, contentTag, repository?.repositoryUri));
  const localBuild = presence.where === 'nowhere' ? await findLocalBuild(io.run, build, contentTag) : undefined;
  return { contentTag, gitSha, tags, repository, presence, localBuild };
}

/** The repository as it exists, with the settings that differ from the options (reported, never changed). */
async function existingRepository(repositories: RepositoryDirectory, want: RepositorySettings): Promise<EnsuredRepository | undefined> {
  const repo = await repositories.describe(want.repositoryName);
  if (!repo?.repositoryUri || !repo.registryId) return undefined;
  const { repositoryName } = want;
  return {
    repositoryName,
    repositoryUri: repo.repositoryUri,
    registryId: repo.registryId,
    created: false,
    drift: repositoryDrift(repo, want),
  };
}

/** The git short sha for the default tag, or undefined outside a git checkout (the tag is then left out). */
export async function gitShortSha(run: ProcessRunner, cwd: string): Promise<string | undefined> {
  const result = await run('git', ['rev-parse', '--short', 'HEAD'], { cwd }).catch(() => undefined);
  if (result?.exitCode === 0 && result.stdout.trim()) return result.stdout.trim();
  logger.warn('No git commit found: pushing without the git-sha tag.');
  return undefined;
}

/** STS once per AWS target and run: a batch of tasks with the same credentials asks once. */
export function verifiedIdentity(scope: RunScope, prepared: PreparedPush, env: NodeJS.ProcessEnv) {
  const source = describeCredentialSource(prepared.push.profile, env);
  const sts = scope.aws(prepared.aws, scope.signal).sts;
  return scope.once(`identity\0${JSON.stringify(prepared.aws)}`, () => checkCredentials(sts, source));
}

/** The lookups of one task, through what its run scope shares (so a planner's answers are reused). */
export function lookupIo(scope: RunScope, prepared: PreparedPush, run: ProcessRunner): LookupIo {
  return {
    run,
    presence: scope.presence(prepared.aws),
    repositories: scope.repositories(prepared.aws),
    once: (key, compute) => scope.once(key, compute),
  };
}
