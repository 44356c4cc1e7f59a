// Keeps `latest` moving forward: who holds it, which commits that image comes from (its git-sha tags, and its
// revision label when the tags do not already say "newer"), and so whether this run may move it (lib/ecr/latest.ts).
import type { EcrPort } from '../../lib/aws/clients';
import { findImageByTag } from '../../lib/ecr/images';
import { decideLatest, type HolderRevision, type LatestDecision, type LatestHolder } from '../../lib/ecr/latest';
import { LATEST } from '../../lib/ecr/tags';
import { looksLikeCommit, relationTo } from '../../lib/git/revisions';
import type { ProcessRunner } from '../../lib/process';

export interface LatestIo {
  ecr: EcrPort;
  run: ProcessRunner;
  /** The git checkout. */
  cwd: string;
  /** This checkout's full commit; without one there is nothing to compare and `latest` moves. */
  head?: string;
  /** An image's revision label, read through the registry; absent in a dry run (which logs in nowhere). */
  revisionOf?: (repositoryName: string, digest: string) => Promise<string | undefined>;
  /**
   * Keeps answers that cannot change within a run — how a commit relates to ours, the label of a digest — so the
   * checks right before and after `latest` moves ask ECR only who holds it (the run scope's `once`).
   */
  once?: <T>(key: string, compute: () => Promise<T>) => Promise<T>;
}

export async function latestHolder(io: LatestIo, repositoryName: string): Promise<LatestHolder | undefined> {
  const image = await findImageByTag(io.ecr, repositoryName, LATEST);
  if (!image) return undefined;
  const head = io.head;
  if (!head) return { digest: image.digest, revisions: [] };
  const once = io.once ?? (<T>(_key: string, compute: () => Promise<T>) => compute());
  const relation = (sha: string) => once(`relation\0${io.cwd}\0${head}\0${sha}`, () => relationTo(io.run, io.cwd, head, sha));
  const tagged = await Promise.all(
    image.tags.filter(looksLikeCommit).map(async (sha): Promise<HolderRevision> => ({ sha, relation: await relation(sha), from: 'tag' })),
  );
  // A hex tag this clone cannot resolve may be no commit at all: only the label speaks for unknown commits.
  const revisions = tagged.filter((revision) => revision.relation !== 'unknown');
  const revisionOf = io.revisionOf;
  if (!revisions.some((r) => r.relation === 'newer') && revisionOf) {
    // A digest names one config, so one label, in any repository.
    const label = await once(`revision\0${image.digest}`, () => revisionOf(repositoryName, image.digest));
    if (label) revisions.push({ sha: label, relation: await relation(label), from: 'label' });
  }
  return { digest: image.digest, revisions };
}

/** Whether this run may point `latest` at `ourDigest` (undefined before a build: any other image is "other"). */
export async function latestDecision(io: LatestIo, repositoryName: string, ourDigest?: string): Promise<LatestDecision> {
  return decideLatest(io.head, ourDigest, await latestHolder(io, repositoryName));
}

/** How often `latest` is looked at again after this run moved it, each after the `latestSettleSeconds` pause. */
const SETTLE_ROUNDS = 2;

/**
 * After this run moved `latest`: if an older commit's run has since moved it back, move it forward again (bounded);
 * if a newer one has moved it on, that is fine. Returns why `latest` no longer names this image, if it does not.
 * A pause of 0 means no other delivery can run at the same time: there is nothing to look at again.
 */
export async function settleLatest(
  io: LatestIo,
  repositoryName: string,
  digest: string,
  moveAgain: () => Promise<unknown>,
  pause: { ms: number; sleep: (ms: number) => Promise<void> },
): Promise<string | undefined> {
  if (pause.ms <= 0) return undefined;
  for (let round = 0; round < SETTLE_ROUNDS; round++) {
    await pause.sleep(pause.ms);
    const holder = await latestHolder(io, repositoryName);
    if (holder?.digest === digest) return undefined;
    const decision = decideLatest(io.head, digest, holder);
    if (!decision.move) return decision.because;
    await moveAgain();
  }
  return undefined;
}
