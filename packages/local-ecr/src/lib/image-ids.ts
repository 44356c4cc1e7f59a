// ECR image identifiers ({imageDigest?, imageTag?}): parsing, resolving against the bookkeeping, messages.
import { invalidParameter } from './errors';
import type { Input } from './input';
import { imagesOf, type ImageRecord, type StateData } from './state';

export interface ImageId {
  imageDigest?: string;
  imageTag?: string;
}

export function parseImageIds(input: Input): ImageId[] | undefined {
  const raw = input['imageIds'];
  if (raw === undefined || raw === null) {
    return undefined;
  }
  if (!Array.isArray(raw)) throw invalidParameter(`Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must be a list'`);
  return raw.map((item: unknown) => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    return {
      ...(typeof entry['imageDigest'] === 'string' ? { imageDigest: entry['imageDigest'] } : {}),
      ...(typeof entry['imageTag'] === 'string' ? { imageTag: entry['imageTag'] } : {}),
    };
  });
}

export function requireImageIds(input: Input): ImageId[] {
  const ids = parseImageIds(input);
  if (!ids) throw invalidParameter(`Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must not be null'`);
  return ids;
}

/** ECR's rendering of an image id inside messages: {imageDigest:'null', imageTag:'x'}. */
export const imageIdText = (id: ImageId) => `{imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'}`;

export type Resolution =
  { image: ImageRecord } | { failureCode: 'ImageNotFound' | 'MissingDigestAndTag' | 'ImageTagDoesNotMatchDigest'; failureReason: string };

/** Finds the image an id names; a digest and a tag together must agree. */
export function resolveImageId(state: StateData, repository: string, id: ImageId): Resolution {
  if (!id.imageDigest && !id.imageTag)
    return { failureCode: 'MissingDigestAndTag', failureReason: 'Invalid request: an image id needs an imageDigest or an imageTag' };
  const images = imagesOf(state, repository);
  const byDigest = id.imageDigest ? images[id.imageDigest] : undefined;
  const tag = id.imageTag;
  const byTag = tag ? Object.values(images).find((image) => image.tags.includes(tag)) : undefined;
  if (id.imageDigest && id.imageTag) {
    if (!byDigest || !byTag) return { failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
    if (byDigest !== byTag) return { failureCode: 'ImageTagDoesNotMatchDigest', failureReason: 'Invalid image tag for image digest' };
    return { image: byDigest };
  }
  const image = byDigest ?? byTag;
  return image ? { image } : { failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
}
