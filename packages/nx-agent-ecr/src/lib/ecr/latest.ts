// `latest` only moves forward (pure): given how the commits of the image `latest` names relate to this checkout's
// commit, decide whether this run may move it. Reported, never a failure, when it may not.

import type { Relation } from '../git/revisions';

export interface HolderRevision {
  sha: string;
  relation: Relation;
  /** The image's org.opencontainers.image.revision label, or one of its git-sha tags. */
  from: 'label' | 'tag';
}

/** The image `latest` names now, and the commits it was built or tagged from. */
export interface LatestHolder {
  digest: string;
  revisions: HolderRevision[];
}

export type LatestDecision = { move: true } | { move: false; because: string };

const short = (sha: string) => sha.slice(0, 12);

/**
 * Move unless `latest` names an image of a newer commit (one this checkout's commit is an ancestor of), or one built
 * from a commit this clone does not have (a newer push it has not fetched, or a shallow clone). Same, older or
 * diverged commits, an image without a revision, or no `latest` yet: move.
 */
export function decideLatest(head: string | undefined, ourDigest: string | undefined, holder: LatestHolder | undefined): LatestDecision {
  if (!holder || !head || holder.digest === ourDigest) return { move: true };
  const newer = holder.revisions.find((revision) => revision.relation === 'newer');
  if (newer) {
    return {
      move: false,
      because: `it names ${holder.digest}, ${from(newer)} ${short(newer.sha)}, newer than this checkout's ${short(head)}`,
    };
  }
  const unknown = holder.revisions.find((revision) => revision.relation === 'unknown' && revision.from === 'label');
  if (unknown) {
    return {
      move: false,
      because:
        `it names ${holder.digest}, built from ${short(unknown.sha)}, a commit this clone does not have ` +
        `(a newer push, or a shallow clone: fetch the full history, e.g. fetch-depth: 0)`,
    };
  }
  return { move: true };
}

const from = (revision: HolderRevision) => (revision.from === 'label' ? 'built from' : 'tagged at');
