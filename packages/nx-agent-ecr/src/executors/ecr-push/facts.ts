// Phase 3a of a push: what the plan is made from, read without changing anything — the content tag (recomputed
// from the sources, never taken from a record), the commit, the repository and its tag mutability, where ECR holds
// the content, which immutable tags already name an image, whether `latest` may move forward, and whether a
// docker-build of these sources left its image here. Run-wide facts (identity, commit, content tags, repositories,
// presence) come from the run scope, where a batch's planner (run-plan.ts) may have asked for every task at once.
import { logger } from '../../lib/log';
import type { EcrPort } from '../../lib/aws/clients';
import { checkCredentials, describeCredentialSource } from '../../lib/aws/credentials';
import { imageContent } from '../../lib/content/image-content';
import { workspaceListings } from '../../lib/content/listing-cache';
import { baseDigestLookup } from '../../lib/docker/base-lookup';
import { readMachine, type MachineReading } from '../../lib/docker/machine';
import type { DigestLookup, ResolvedBase } from '../../lib/docker/resolve-bases';
import { findImageByTag } from '../../lib/ecr/images';
import type { LatestDecision } from '../../lib/ecr/latest';
import { isImmutable, mutabilityOf, type MutabilitySettings } from '../../lib/ecr/mutability';
import { resolveTags } from '../../lib/ecr/naming';
import type { Presence, PresenceLookup, PresenceQuery } from '../../lib/ecr/presence';
import { repositoryDrift, type EnsuredRepository } from '../../lib/ecr/repository';
import type { RepositoryDirectory } from '../../lib/ecr/repository-directory';
import { LATEST } from '../../lib/ecr/tags';
import { headCommit, type HeadCommit } from '../../lib/git/revisions';
import type { ProcessRunner } from '../../lib/process';
import type { RunScope } from '../../lib/task/run-scope';
import { settled } from '../../lib/task/settled';
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
  /**
   * Whether `latest` may move to this content (only when the push has a `latest` tag and the repository exists). Asked
   * beside the rest, awaited only by what prints the plan: the move asks again right before it, so a build need not
   * wait for it (its answers — commit relations, a digest's label — are kept for that second asking).
   */
  latest?: Promise<LatestDecision>;
  localBuild?: LocalBuild;
}

export interface LookupIo {
  run: ProcessRunner;
  ecr: EcrPort;
  presence: PresenceLookup;
  repositories: RepositoryDirectory;
  /** Computes a fact of the run once however many tasks ask (the run scope's `once`); absent, it just computes. */
  once?: <T>(key: string, compute: () => Promise<T>) => Promise<T>;
  /** Base-image digests (lib/docker/base-lookup.ts). */
  baseDigest: DigestLookup;
  /** The promotion source's port and registry id when it is another account or region. */
  source?: { ecr: EcrPort; registryId?: string };
  /** Reads an image's revision label through the registry; absent in a dry run (which logs in nowhere). */
  revisionOf?: LatestIo['revisionOf'];
  /** Told once neither ECR nor this machine holds the content (a build is coming): its probes run beside the rest. */
  buildLikely?: () => void;
}

/**
 * The content tag (with the base images it pinned) and the checkout's commit, each computed once per run (a planner
 * may have asked already). The base digests come from the run scope's lookup, so one run sees one digest per base.
 */
export async function sourceFacts(prepared: PreparedPush, io: Pick<LookupIo, 'run' | 'once' | 'baseDigest'>) {
  const once = io.once ?? (<T>(_key: string, compute: () => Promise<T>) => compute());
  const { push, build } = prepared;
  const hashed = [build.workspaceRoot, build.contextDir, build.dockerfilePath, build.buildArgs, build.target, build.platforms];
  const listings = workspaceListings(build.workspaceRoot);
  // The commit while the context is hashed: neither needs the other.
  const [{ contentTag, bases }, head] = await Promise.all([
    once(`image-content\0${JSON.stringify(hashed)}`, () => imageContent(build, io.baseDigest, { listings })),
    once(`head\0${push.workspaceRoot}`, async () => {
      const commit = await headCommit(io.run, push.workspaceRoot);
      if (!commit) logger.warn('No git commit found: pushing without the git-sha tag.');
      return commit;
    }),
  ]);
  return { contentTag, bases, head };
}

/** The presence question a prepared push asks (the same key whether a planner or the task asks it). */
export function presenceQuery(prepared: PreparedPush, contentTag: string, repositoryUri?: string): PresenceQuery {
  const { push } = prepared;
  return { repositoryName: push.naming.repositoryName, promoteFromRepository: push.promoteFromRepository, contentTag, repositoryUri };
}

export async function lookUpFacts(prepared: PreparedPush, io: LookupIo): Promise<PushFacts> {
  const { push, build } = prepared;
  const repositoryName = push.naming.repositoryName;
  const { contentTag, bases, head } = await sourceFacts(prepared, io);
  const tags = resolveTags(push.tags, { gitSha: head?.short, environment: push.naming.environment, contentTag });
  const described = await io.repositories.describe(repositoryName);
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
  const query = presenceQuery(prepared, contentTag, repository?.repositoryUri);
  const presence = await io.presence.locate(io.source ? { ...query, source: io.source } : query);
  // Tags the found image carries already name it: only the others need a lookup (none, for an unchanged service).
  const ours = presence.where === 'this-repository' ? presence.image : undefined;
  const onOurs = (tag: string) => ours?.tags.includes(tag) === true;
  const immutable = repository ? tags.filter((tag) => tag !== contentTag && isImmutable(tag, mutability)) : [];
  const ourDigest = presence.where === 'nowhere' ? undefined : presence.image.digest;
  // The rest does not depend on each other: immutable tags' holders, the `latest` guard, a local build.
  // `latest` on this very image: it stays, whatever the history (lib/ecr/latest.ts decides "move" to the same digest).
  const latest =
    repository && tags.includes(LATEST)
      ? onOurs(LATEST)
        ? Promise.resolve<LatestDecision>({ move: true })
        : settled(
            latestDecision(
              { ecr: io.ecr, run: io.run, cwd: push.workspaceRoot, head: head?.full, revisionOf: io.revisionOf, once: io.once },
              repositoryName,
              ourDigest,
            ),
          )
      : undefined;
  const [otherHolders, localBuild] = await Promise.all([
    holders(
      io.ecr,
      repositoryName,
      immutable.filter((tag) => !onOurs(tag)),
    ),
    // Neither in ECR nor built here: a build is coming (buildLikely lets its probes start now).
    presence.where === 'nowhere'
      ? findLocalBuild(io.run, build, contentTag).then((found) => {
          if (!found.usable) io.buildLikely?.();
          return found;
        })
      : undefined,
  ]);
  const immutableHolders = [...(ours ? immutable.filter(onOurs).map((tag) => ({ tag, digest: ours.digest })) : []), ...otherHolders];
  return { contentTag, bases, head, tags, repository, mutability, presence, immutableHolders, latest, localBuild };
}

async function holders(ecr: EcrPort, repositoryName: string, tags: string[]): Promise<{ tag: string; digest: string }[]> {
  const found = await Promise.all(tags.map(async (tag) => ({ tag, image: await findImageByTag(ecr, repositoryName, tag) })));
  return found.flatMap(({ tag, image }) => (image ? [{ tag, digest: image.digest }] : []));
}

/** STS once per AWS target and run: a batch of tasks with the same credentials asks once. */
export function verifiedIdentity(scope: RunScope, prepared: PreparedPush, env: NodeJS.ProcessEnv) {
  const source = describeCredentialSource(prepared.push.profile, env);
  const sts = scope.aws(prepared.aws, scope.signal).sts;
  return scope.once(`identity\0${JSON.stringify(prepared.aws)}`, () => checkCredentials(sts, source));
}

/** Base-image digests through the run scope's cache; a base in the push's own registry uses its login session. */
export function scopeBaseDigests(
  scope: RunScope,
  prepared: PreparedPush,
  run: ProcessRunner,
  io: { env: NodeJS.ProcessEnv; fetch?: typeof fetch; signal: AbortSignal },
) {
  const session = () => scope.loginSession(prepared.aws).login();
  return baseDigestLookup({ run, env: io.env, cache: scope.baseDigests, session, fetch: io.fetch, signal: io.signal });
}

/**
 * The machine's reading (docker, buildx, the builder) through the run scope: one per builder for the whole run, which
 * its planner starts beside the lookups. Undefined when this push probes nothing early: a dry run, push only, or a
 * builder it may create (a side effect waits for the plan).
 */
export function scopeMachine(scope: RunScope, prepared: PreparedPush, run: ProcessRunner): (() => Promise<MachineReading>) | undefined {
  const { push, build } = prepared;
  if (push.dryRun || !push.build || build.createBuilder) return undefined;
  return () => scope.once(`machine\0${build.builder ?? ''}`, () => readMachine(run, build.builder));
}

/** The lookups of one task through what its run scope shares (so a planner's answers are reused). */
export function lookupIo(
  scope: RunScope,
  prepared: PreparedPush,
  run: ProcessRunner,
  ecr: EcrPort,
  baseDigest: DigestLookup,
): Omit<LookupIo, 'revisionOf' | 'buildLikely'> {
  return {
    run,
    ecr,
    baseDigest,
    presence: scope.presence(prepared.aws),
    repositories: scope.repositories(prepared.aws),
    once: (key, compute) => scope.once(key, compute),
  };
}
