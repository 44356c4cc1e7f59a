// ECR images on top of EcrPort: find an image by tag or digest, move tags with PutImage, verify.
import type { ImageDetail } from '@aws-sdk/client-ecr';
import type { EcrPort } from '../aws/clients';
import { awsErrorName, explainAccessDenied } from '../aws/errors';
import { oneLine, UserError } from '../errors';

export interface FoundImage {
  repositoryName: string;
  digest: string;
  tags: string[];
  sizeBytes?: number;
  pushedAt?: Date;
  manifestMediaType?: string;
}

/** The manifest media types a copy must preserve (single images and multi-platform indexes). */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

/** Success = exists; ImageNotFound/RepositoryNotFound = absent (undefined); anything else is rethrown. */
export async function findImageByTag(
  ecr: EcrPort,
  repositoryName: string,
  tag: string,
  registryId?: string,
): Promise<FoundImage | undefined> {
  try {
    const out = await ecr.describeImages({ repositoryName, imageIds: [{ imageTag: tag }], ...(registryId ? { registryId } : {}) });
    const detail = out.imageDetails?.[0];
    return detail?.imageDigest ? toFound(repositoryName, detail) : undefined;
  } catch (error) {
    const name = awsErrorName(error);
    if (name === 'ImageNotFoundException' || name === 'RepositoryNotFoundException') return undefined;
    return explainAccessDenied(error, 'ecr:DescribeImages', `repository ${repositoryName}`);
  }
}

/**
 * The images carrying each tag, with one lookup: DescribeImages for one tag; for several, BatchGetImage (which reports
 * a missing tag as a failure instead of failing the whole call, as DescribeImages does) and a DescribeImages of the
 * digests it found. Missing tags and a missing repository are simply absent from the map.
 */
export async function findImagesByTags(ecr: EcrPort, repositoryName: string, tags: string[]): Promise<Map<string, FoundImage>> {
  if (tags.length === 1) {
    const image = await findImageByTag(ecr, repositoryName, tags[0] as string);
    return new Map(image ? [[tags[0] as string, image]] : []);
  }
  const found = new Map<string, FoundImage>();
  const batch = await ecr
    .batchGetImage({ repositoryName, imageIds: tags.map((imageTag) => ({ imageTag })), acceptedMediaTypes: MANIFEST_MEDIA_TYPES })
    .catch((error: unknown) =>
      awsErrorName(error) === 'RepositoryNotFoundException'
        ? { images: [] }
        : explainAccessDenied(error, 'ecr:BatchGetImage', `repository ${repositoryName}`),
    );
  const digestOf = new Map((batch.images ?? []).map((image) => [image.imageId?.imageTag, image.imageId?.imageDigest]));
  const digests = [...new Set([...digestOf.values()].filter((digest): digest is string => Boolean(digest)))];
  if (digests.length === 0) return found;
  const details = await ecr
    .describeImages({ repositoryName, imageIds: digests.map((imageDigest) => ({ imageDigest })) })
    .catch((error: unknown) => explainAccessDenied(error, 'ecr:DescribeImages', `repository ${repositoryName}`));
  const byDigest = new Map((details.imageDetails ?? []).map((detail) => [detail.imageDigest, detail]));
  for (const tag of tags) {
    const detail = byDigest.get(digestOf.get(tag));
    if (detail?.imageDigest) found.set(tag, toFound(repositoryName, detail));
  }
  return found;
}

export async function describeDigest(ecr: EcrPort, repositoryName: string, digest: string): Promise<FoundImage> {
  const out = await ecr
    .describeImages({ repositoryName, imageIds: [{ imageDigest: digest }] })
    .catch((error: unknown) => explainAccessDenied(error, 'ecr:DescribeImages', `repository ${repositoryName}`));
  const detail = out.imageDetails?.[0];
  if (!detail?.imageDigest) throw new UserError(`Image ${digest} is not in repository ${repositoryName}.`);
  return toFound(repositoryName, detail);
}

function toFound(repositoryName: string, detail: ImageDetail): FoundImage {
  return {
    repositoryName,
    digest: detail.imageDigest as string,
    tags: detail.imageTags ?? [],
    sizeBytes: detail.imageSizeInBytes,
    pushedAt: detail.imagePushedAt,
    manifestMediaType: detail.imageManifestMediaType,
  };
}

/** The manifest of `digest` exactly as stored (bytes and media type), for PutImage; `registryId` reads another account's. */
export async function getManifest(ecr: EcrPort, repositoryName: string, digest: string, registryId?: string) {
  const out = await ecr
    .batchGetImage({
      repositoryName,
      imageIds: [{ imageDigest: digest }],
      acceptedMediaTypes: MANIFEST_MEDIA_TYPES,
      ...(registryId ? { registryId } : {}),
    })
    .catch((error: unknown) => explainAccessDenied(error, 'ecr:BatchGetImage', `repository ${repositoryName}`));
  const image = out.images?.[0];
  if (!image?.imageManifest) {
    const reason = out.failures?.[0]?.failureReason ?? 'no manifest returned';
    throw new UserError(`Cannot read manifest ${digest} from ${repositoryName}: ${reason}.`);
  }
  return { manifest: image.imageManifest, mediaType: image.imageManifestMediaType };
}

/** A tag could not be moved: names what moved, what did not, and that a re-run finishes the job. */
export class TagMoveError extends UserError {
  constructor(
    readonly repositoryName: string,
    readonly digest: string,
    readonly moved: string[],
    readonly notMoved: string[],
    readonly reason: string,
  ) {
    super(
      `Moving tag ${notMoved[0]} in ${repositoryName} to ${digest} failed (${reason}). ` +
        `Moved: ${moved.join(', ') || 'none'}; not moved: ${notMoved.join(', ')}. ` +
        `Run the same command again: it moves only the tags that are missing.`,
    );
    this.name = 'TagMoveError';
  }
}

/** The stored manifest of one image: its bytes and media type, exactly as PutImage needs them. */
export type StoredManifest = Awaited<ReturnType<typeof getManifest>>;

/** What the caller already knows about the digest, so moving tags asks ECR nothing twice. */
export interface RetagKnown {
  /** Called after each tag moved. */
  onMoved?: (tag: string) => void;
  /** The digest's tags as this run last read them (saves a DescribeImages). */
  currentTags?: string[];
  /** The digest's manifest, shared by every move of one run (saves a BatchGetImage per move). */
  manifest?: () => Promise<StoredManifest>;
}

/**
 * Points every tag at `digest` with PutImage of the stored manifest (no image data moves), in the order given
 * (tags.ts: moving tags last), calling `onMoved` after each; returns the tags it moved. A tag that cannot be
 * moved stops the rest: TagMoveError names both lists.
 */
export async function retag(
  ecr: EcrPort,
  repositoryName: string,
  digest: string,
  tags: string[],
  { onMoved = () => undefined, currentTags, manifest: known }: RetagKnown = {},
): Promise<string[]> {
  const current = currentTags ?? (await describeDigest(ecr, repositoryName, digest)).tags;
  const missing = tags.filter((tag) => !current.includes(tag));
  if (!missing.length) return [];
  const { manifest, mediaType } = await (known?.() ?? getManifest(ecr, repositoryName, digest));
  const moved: string[] = [];
  for (const [index, imageTag] of missing.entries()) {
    try {
      await putTag(ecr, repositoryName, { manifest, mediaType, digest }, imageTag);
    } catch (error) {
      throw new TagMoveError(repositoryName, digest, moved, missing.slice(index), oneLine(error));
    }
    moved.push(imageTag);
    onMoved(imageTag);
  }
  return moved;
}

/**
 * PutImage of a manifest under a tag. ImageAlreadyExists = already so; in an immutable repository a tag already on
 * the same digest is success and a tag on another digest is a clear error.
 */
export async function putTag(
  ecr: EcrPort,
  repositoryName: string,
  image: { manifest: string; mediaType?: string; digest: string },
  imageTag: string | undefined,
): Promise<void> {
  try {
    await ecr.putImage({
      repositoryName,
      imageManifest: image.manifest,
      imageManifestMediaType: image.mediaType,
      imageDigest: image.digest,
      ...(imageTag ? { imageTag } : {}),
    });
  } catch (error) {
    const name = awsErrorName(error);
    if (name === 'ImageAlreadyExistsException') return;
    if (name === 'ImageTagAlreadyExistsException' && imageTag) {
      const holder = await findImageByTag(ecr, repositoryName, imageTag);
      if (holder?.digest === image.digest) return;
      throw new UserError(
        `Tag ${imageTag} in immutable repository ${repositoryName} already points to ` +
          `${holder?.digest ?? 'another image'}, not ${image.digest}. ` +
          `Use a new tag or make the repository MUTABLE.`,
      );
    }
    explainAccessDenied(error, 'ecr:PutImage', `repository ${repositoryName}`);
  }
}
