// Decisions and bookkeeping shared by both ways a manifest arrives (docker push through /v2/ and PutImage).
import { type ServerContext, persist } from './context';
import { scanOnPush } from './ecr-scans';
import { manifestFacts, type ManifestFacts } from './manifest';
import { matchesWildcard } from './naming';
import { digestOfTag, imagesOf, recordImage, type ImageRecord, type RepositoryRecord, type StateData } from './state';

/** Whether ECR would refuse to point an existing tag at another manifest, given the repository's mutability. */
export function tagIsImmutable(repository: RepositoryRecord, tag: string): boolean {
  const excluded = (repository.imageTagMutabilityExclusionFilters ?? []).some((f) => matchesWildcard(f.filter, tag));
  switch (repository.imageTagMutability) {
    case 'IMMUTABLE':
      return true;
    case 'IMMUTABLE_WITH_EXCLUSION':
      return !excluded;
    case 'MUTABLE_WITH_EXCLUSION':
      return excluded;
    default:
      return false;
  }
}

/** ECR's refusal message when a tag that already exists may not be written again, or undefined. */
export function immutableTagRefusal(context: ServerContext, repository: RepositoryRecord, tag: string): string | undefined {
  if (!tagIsImmutable(repository, tag) || digestOfTag(context.state, repository.name, tag) === undefined) return undefined;
  return (
    `The image tag '${tag}' already exists in the '${repository.name}' ` +
    `repository and cannot be overwritten because the repository is immutable.`
  );
}

/** ECR's imageSizeInBytes: config + layers of an image; for an index, the sum of the images it lists. */
export function imageSize(state: StateData, repository: string, facts: ManifestFacts): number {
  if (!facts.isIndex) return facts.ownSize;
  const images = imagesOf(state, repository);
  return facts.children.reduce((sum, digest) => sum + (images.get(digest)?.sizeInBytes ?? 0), 0);
}

export interface StoredManifest {
  repository: string;
  /** The tag or digest it was stored under. */
  reference: string;
  body: string;
  digest: string;
  contentType?: string | undefined;
}

/**
 * Records a manifest the inner registry accepted, under its digest and (when pushed by tag) its tag; starts its
 * scan when the repository scans on push; applies a `hideTagMs` fault. Resolves once the state is on disk.
 */
export async function recordManifest(context: ServerContext, stored: StoredManifest, hideTagMs?: number): Promise<ImageRecord> {
  const { repository, reference, digest } = stored;
  const facts = manifestFacts(stored.body, stored.contentType);
  const tag = reference.includes(':') ? undefined : reference;
  const previous = tag ? digestOfTag(context.state, repository, tag) : undefined;
  const isNew = !imagesOf(context.state, repository).has(digest);
  const image = recordImage(context.state, repository, {
    digest,
    ...(tag ? { tag } : {}),
    sizeInBytes: imageSize(context.state, repository, facts),
    manifestMediaType: facts.mediaType,
    ...(facts.artifactMediaType ? { artifactMediaType: facts.artifactMediaType } : {}),
    now: context.now(),
  });
  context.stats.add(repository, { manifestPuts: 1 });
  if (isNew && !facts.isIndex) scanOnPush(context, repository, image);
  if (tag && hideTagMs !== undefined && previous !== digest) {
    context.lag.hide(repository, tag, { until: context.now() + hideTagMs, digest, ...(previous ? { previous } : {}) });
  }
  await persist(context);
  return image;
}
