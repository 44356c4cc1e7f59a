// Decisions and bookkeeping shared by both ways a manifest arrives (docker push through /v2/ and PutImage).
import { type ServerContext, persist } from './context';
import { manifestFacts, type ManifestFacts } from './manifest';
import { matchesWildcard } from './naming';
import { digestOfTag, imagesOf, recordImage, type ImageRecord, type RepositoryRecord } from './state';

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
export function imageSize(context: ServerContext, repository: string, facts: ManifestFacts): number {
  if (!facts.isIndex) return facts.ownSize;
  const images = imagesOf(context.state, repository);
  return facts.children.reduce((sum, digest) => sum + (images[digest]?.sizeInBytes ?? 0), 0);
}

/** Records a manifest the inner registry accepted, under its digest and (when pushed by tag) its tag. */
export function recordManifest(
  context: ServerContext,
  repository: string,
  reference: string,
  body: string,
  digest: string,
  contentType?: string,
): ImageRecord {
  const facts = manifestFacts(body, contentType);
  const tag = reference.includes(':') ? undefined : reference;
  const image = recordImage(context.state, repository, {
    digest,
    ...(tag ? { tag } : {}),
    sizeInBytes: imageSize(context, repository, facts),
    manifestMediaType: facts.mediaType,
    ...(facts.artifactMediaType ? { artifactMediaType: facts.artifactMediaType } : {}),
    now: context.now(),
  });
  context.stats.add(repository, { manifestPuts: 1 });
  persist(context);
  return image;
}
