// Phase 3a of a push: what the plan is made from, read without changing anything — the content tag (recomputed
// from the sources, never taken from a record), the commit, the repository and its tag mutability, where ECR holds
// the content, which immutable tags already name an image, whether `latest` may move forward, and whether a
// docker-build of these sources left its image here.
import { logger } from '@nx/devkit';
import type { EcrPort } from '../../lib/aws/clients';
import { imageContent } from '../../lib/content/image-content';
import type { DigestLookup, ResolvedBase } from '../../lib/docker/resolve-bases';
import { findImageByTag } from '../../lib/ecr/images';
import type { LatestDecision } from '../../lib/ecr/latest';
import { isImmutable, mutabilityOf, type MutabilitySettings } from '../../lib/ecr/mutability';
import { resolveTags } from '../../lib/ecr/naming';
import type { Presence, PresenceLookup } from '../../lib/ecr/presence';
import { describeRepository, repositoryDrift, type EnsuredRepository } from '../../lib/ecr/repository';
import { LATEST } from '../../lib/ecr/tags';
import { headCommit, type HeadCommit } from '../../lib/git/revisions';
import type { ProcessRunner } from '../../lib/process';
import { latestDecision, type LatestIo } from './latest-guard';
import { findLocalBuild, type LocalBuild } from './local-build';
import type { PreparedPush } from './prepare';

export interface PushFacts {
  contentTag: string;
  /** The base images resolved; a build pins exactly these. */
  bases: ResolvedBase[];
  head?: HeadCommit;
  /** The content tag, then the option's tags resolved, in the option's order (apply moves them in deliveryOrder). */
  tags: string[];
  /** The repository as it exists; undefined when a push would create it. */
  repository?: EnsuredRepository;
  /** The repository's tag mutability, or the options' for a repository the push would create. */
  mutability: MutabilitySettings;
  presence: Presence;
  /** Immutable tags of this push (not the content tag) that already name an image. */
  immutableHolders: { tag: string; digest: string }[];
  /** Whether `latest` may move to this content (only when the push has a `latest` tag and the repository exists). */
  latest?: LatestDecision;
  localBuild?: LocalBuild;
}

export interface LookupIo {
  run: ProcessRunner;
  ecr: EcrPort;
  presence: PresenceLookup;
  /** Base-image digests (lib/docker/base-lookup.ts). */
  baseDigest: DigestLookup;
  /** The promotion source's port and registry id when it is another account or region. */
  source?: { ecr: EcrPort; registryId?: string };
  /** Reads an image's revision label through the registry; absent in a dry run (which logs in nowhere). */
  revisionOf?: LatestIo['revisionOf'];
}

export async function lookUpFacts(prepared: PreparedPush, io: LookupIo): Promise<PushFacts> {
  const { push, build } = prepared;
  const repositoryName = push.naming.repositoryName;
  const { contentTag, bases } = await imageContent(build, io.baseDigest);
  const head = await headCommit(io.run, push.workspaceRoot);
  if (!head) logger.warn('No git commit found: pushing without the git-sha tag.');
  const tags = resolveTags(push.tags, { gitSha: head?.short, environment: push.naming.environment, contentTag });
  const described = await describeRepository(io.ecr, repositoryName);
  const repository =
    described?.repositoryUri && described.registryId
      ? {
          repositoryName,
          repositoryUri: described.repositoryUri,
          registryId: described.registryId,
          created: false,
          drift: repositoryDrift(described, push.repository),
        }
      : undefined;
  const mutability = described && repository ? mutabilityOf(described) : push.repository.mutability;
  const presence = await io.presence.locate({
    repositoryName,
    promoteFromRepository: push.promoteFromRepository,
    contentTag,
    repositoryUri: repository?.repositoryUri,
    ...(io.source ? { source: io.source } : {}),
  });
  const immutableHolders = repository
    ? await holders(
        io.ecr,
        repositoryName,
        tags.filter((tag) => tag !== contentTag && isImmutable(tag, mutability)),
      )
    : [];
  const ourDigest = presence.where === 'nowhere' ? undefined : presence.image.digest;
  const latest =
    repository && tags.includes(LATEST)
      ? await latestDecision(
          { ecr: io.ecr, run: io.run, cwd: push.workspaceRoot, head: head?.full, revisionOf: io.revisionOf },
          repositoryName,
          ourDigest,
        )
      : undefined;
  const localBuild = presence.where === 'nowhere' ? await findLocalBuild(io.run, build, contentTag) : undefined;
  return { contentTag, bases, head, tags, repository, mutability, presence, immutableHolders, latest, localBuild };
}

async function holders(ecr: EcrPort, repositoryName: string, tags: string[]): Promise<{ tag: string; digest: string }[]> {
  const found = await Promise.all(tags.map(async (tag) => ({ tag, image: await findImageByTag(ecr, repositoryName, tag) })));
  return found.flatMap(({ tag, image }) => (image ? [{ tag, digest: image.digest }] : []));
}
