// Phase 3a of a push: what the plan is made from, read without changing anything — the content tag (recomputed
// from the sources, never taken from a record), the git sha, the repository, where ECR holds the content, and
// whether a docker-build of these sources left its image here.
import { logger } from '@nx/devkit';
import type { EcrPort } from '../../lib/aws/clients';
import { computeContentTag } from '../../lib/content/content-tag';
import { resolveTags } from '../../lib/ecr/naming';
import type { Presence, PresenceLookup } from '../../lib/ecr/presence';
import { describeRepository, repositoryDrift, type EnsuredRepository, type RepositorySettings } from '../../lib/ecr/repository';
import type { ProcessRunner } from '../../lib/process';
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
  ecr: EcrPort;
  presence: PresenceLookup;
}

export async function lookUpFacts(prepared: PreparedPush, io: LookupIo): Promise<PushFacts> {
  const { push, build } = prepared;
  const contentTag = await computeContentTag(build);
  const gitSha = await gitShortSha(io.run, push.workspaceRoot);
  const tags = resolveTags(push.tags, { gitSha, environment: push.naming.environment, contentTag });
  const repository = await existingRepository(io.ecr, push.repository);
  const presence = await io.presence.locate({
    repositoryName: push.naming.repositoryName,
    promoteFromRepository: push.promoteFromRepository,
    contentTag,
    repositoryUri: repository?.repositoryUri,
  });
  const localBuild = presence.where === 'nowhere' ? await findLocalBuild(io.run, build, contentTag) : undefined;
  return { contentTag, gitSha, tags, repository, presence, localBuild };
}

/** The repository as it exists, with the settings that differ from the options (reported, never changed). */
async function existingRepository(ecr: EcrPort, want: RepositorySettings): Promise<EnsuredRepository | undefined> {
  const repo = await describeRepository(ecr, want.repositoryName);
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
