// ECR image identifiers ({imageDigest?, imageTag?}): parsing, resolving against the bookkeeping, messages.
import { invalidParameter } from './errors';
import type { ImageView } from './image-view';
import type { Input } from './input';
import type { ImageRecord } from './state';

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
  return raw.map(imageIdFrom);
}

function imageIdFrom(item: unknown): ImageId {
  const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  return {
    ...(typeof entry['imageDigest'] === 'string' ? { imageDigest: entry['imageDigest'] } : {}),
    ...(typeof entry['imageTag'] === 'string' ? { imageTag: entry['imageTag'] } : {}),
  };
}

/** The single `imageId` of StartImageScan and DescribeImageScanFindings. */
export function requireImageId(input: Input): ImageId {
  const raw = input['imageId'];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidParameter(`Invalid parameter at 'imageId' failed to satisfy constraint: 'Member must not be null'`);
  }
  return imageIdFrom(raw);
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

/** Finds the image an id names in a view of a repository; a digest and a tag together must agree. */
export function resolveImageId(view: ImageView, id: ImageId): Resolution {
  if (!id.imageDigest && !id.imageTag)
    return { failureCode: 'MissingDigestAndTag', failureReason: 'Invalid request: an image id needs an imageDigest or an imageTag' };
  const byDigest = id.imageDigest ? view.byDigest(id.imageDigest) : undefined;
  const byTag = id.imageTag ? view.byTag(id.imageTag) : undefined;
  if (id.imageDigest && id.imageTag) {
    if (!byDigest || !byTag) return { failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
    if (byDigest !== byTag) return { failureCode: 'ImageTagDoesNotMatchDigest', failureReason: 'Invalid image tag for image digest' };
    return { image: byDigest };
  }
  const image = byDigest ?? byTag;
  return image ? { image } : { failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
}
