// ECR operations on top of EcrPort: ensure a repository, find an image by tag, move tags with PutImage, verify.
import type { ImageDetail, Repository } from '@aws-sdk/client-ecr';
import { awsErrorName, type EcrPort } from '../aws/clients';
import { oneLine, UserError } from '../errors';

export interface RepositorySettings {
  repositoryName: string;
  scanOnPush: boolean;
  encryption: 'AES256' | 'KMS';
  kmsKey?: string;
  imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  tags: Record<string, string>;
  /** Lifecycle policy JSON text, applied on creation only. */
  lifecyclePolicyText?: string;
}

export interface EnsuredRepository {
  repositoryName: string;
  repositoryUri: string;
  registryId: string;
  created: boolean;
  /** One human line per setting that differs from the options (reported, never changed). */
  drift: string[];
}

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

/** Turns AccessDenied into a line naming the IAM action; rethrows anything else unchanged. */
export function explainAccessDenied(error: unknown, action: string, resource: string): never {
  const name = awsErrorName(error);
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    throw new UserError(`Access denied: the role needs IAM permission "${action}" on ${resource} (${oneLine(error)}).`);
  }
  throw error;
}

export async function describeRepository(ecr: EcrPort, repositoryName: string): Promise<Repository | undefined> {
  try {
    const out = await ecr.describeRepositories({ repositoryNames: [repositoryName] });
    return out.repositories?.[0];
  } catch (error) {
    if (awsErrorName(error) === 'RepositoryNotFoundException') return undefined;
    return explainAccessDenied(error, 'ecr:DescribeRepositories', `repository ${repositoryName}`);
  }
}

/** The settings of an existing repository that differ from what the options ask for. */
export function repositoryDrift(repo: Repository, want: RepositorySettings): string[] {
  const drift: string[] = [];
  const scan = repo.imageScanningConfiguration?.scanOnPush ?? false;
  if (scan !== want.scanOnPush) drift.push(`scanOnPush is ${scan}, options ask for ${want.scanOnPush}`);
  if ((repo.imageTagMutability ?? 'MUTABLE') !== want.imageTagMutability) {
    drift.push(`imageTagMutability is ${repo.imageTagMutability}, options ask for ${want.imageTagMutability}`);
  }
  const encryption = repo.encryptionConfiguration?.encryptionType ?? 'AES256';
  if (encryption !== want.encryption) drift.push(`encryption is ${encryption}, options ask for ${want.encryption}`);
  else if (want.kmsKey && repo.encryptionConfiguration?.kmsKey !== want.kmsKey) {
    drift.push(`kmsKey is ${repo.encryptionConfiguration?.kmsKey ?? 'the AWS managed key'}, options ask for ${want.kmsKey}`);
  }
  return drift;
}

export function createRepositoryInput(want: RepositorySettings) {
  const tags = Object.entries(want.tags).map(([Key, Value]) => ({ Key, Value }));
  return {
    repositoryName: want.repositoryName,
    imageScanningConfiguration: { scanOnPush: want.scanOnPush },
    imageTagMutability: want.imageTagMutability,
    encryptionConfiguration:
      want.encryption === 'KMS' ? { encryptionType: 'KMS' as const, ...(want.kmsKey ? { kmsKey: want.kmsKey } : {}) } : { encryptionType: 'AES256' as const },
    ...(tags.length ? { tags } : {}),
  };
}

/** Describe, else create with the settings; a concurrent creator's RepositoryAlreadyExistsException is success. */
export async function ensureRepository(ecr: EcrPort, want: RepositorySettings): Promise<EnsuredRepository> {
  const existing = await describeRepository(ecr, want.repositoryName);
  if (existing) return toEnsured(existing, false, repositoryDrift(existing, want));
  let created: Repository | undefined;
  try {
    created = (await ecr.createRepository(createRepositoryInput(want))).repository;
  } catch (error) {
    if (awsErrorName(error) !== 'RepositoryAlreadyExistsException') {
      explainAccessDenied(error, 'ecr:CreateRepository', `repository ${want.repositoryName}`);
    }
    const raced = await describeRepository(ecr, want.repositoryName);
    if (!raced) throw new UserError(`Repository ${want.repositoryName} was reported as existing but cannot be described.`);
    return toEnsured(raced, false, repositoryDrift(raced, want));
  }
  if (!created) throw new UserError(`CreateRepository returned no repository for ${want.repositoryName}.`);
  if (want.lifecyclePolicyText) {
    await ecr
      .putLifecyclePolicy({ repositoryName: want.repositoryName, lifecyclePolicyText: want.lifecyclePolicyText })
      .catch((error: unknown) => explainAccessDenied(error, 'ecr:PutLifecyclePolicy', `repository ${want.repositoryName}`));
  }
  return toEnsured(created, true, []);
}

function toEnsured(repo: Repository, created: boolean, drift: string[]): EnsuredRepository {
  if (!repo.repositoryUri || !repo.repositoryName || !repo.registryId) {
    throw new UserError(`ECR returned repository ${repo.repositoryName ?? '?'} without a repositoryUri/registryId.`);
  }
  return { repositoryName: repo.repositoryName, repositoryUri: repo.repositoryUri, registryId: repo.registryId, created, drift };
}

/** Success = exists; ImageNotFound/RepositoryNotFound = absent (undefined); anything else is rethrown. */
export async function findImageByTag(ecr: EcrPort, repositoryName: string, tag: string): Promise<FoundImage | undefined> {
  try {
    const out = await ecr.describeImages({ repositoryName, imageIds: [{ imageTag: tag }] });
    const detail = out.imageDetails?.[0];
    return detail?.imageDigest ? toFound(repositoryName, detail) : undefined;
  } catch (error) {
    const name = awsErrorName(error);
    if (name === 'ImageNotFoundException' || name === 'RepositoryNotFoundException') return undefined;
    return explainAccessDenied(error, 'ecr:DescribeImages', `repository ${repositoryName}`);
  }
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

/** The manifest of `digest` exactly as stored (bytes and media type), for PutImage. */
export async function getManifest(ecr: EcrPort, repositoryName: string, digest: string) {
  const out = await ecr
    .batchGetImage({ repositoryName, imageIds: [{ imageDigest: digest }], acceptedMediaTypes: MANIFEST_MEDIA_TYPES })
    .catch((error: unknown) => explainAccessDenied(error, 'ecr:BatchGetImage', `repository ${repositoryName}`));
  const image = out.images?.[0];
  if (!image?.imageManifest) {
    const reason = out.failures?.[0]?.failureReason ?? 'no manifest returned';
    throw new UserError(`Cannot read manifest ${digest} from ${repositoryName}: ${reason}.`);
  }
  return { manifest: image.imageManifest, mediaType: image.imageManifestMediaType };
}

/** Points every tag at `digest` with PutImage of the stored manifest (no image data moves); returns the tags it moved. */
export async function retag(ecr: EcrPort, repositoryName: string, digest: string, tags: string[]): Promise<string[]> {
  const current = await describeDigest(ecr, repositoryName, digest);
  const missing = tags.filter((tag) => !current.tags.includes(tag));
  if (!missing.length) return [];
  const { manifest, mediaType } = await getManifest(ecr, repositoryName, digest);
  for (const imageTag of missing) await putTag(ecr, repositoryName, { manifest, mediaType, digest }, imageTag);
  return missing;
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
        `Tag ${imageTag} in immutable repository ${repositoryName} already points to ${holder?.digest ?? 'another image'}, not ${image.digest}. Use a new tag or make the repository MUTABLE.`,
      );
    }
    explainAccessDenied(error, 'ecr:PutImage', `repository ${repositoryName}`);
  }
}

/** DescribeImages must show `digest` carrying every tag; returns the detail (size, push time). */
export async function verifyTags(ecr: EcrPort, repositoryName: string, digest: string, tags: string[]): Promise<FoundImage> {
  const found = await describeDigest(ecr, repositoryName, digest);
  const missing = tags.filter((tag) => !found.tags.includes(tag));
  if (missing.length) {
    throw new UserError(`Verification failed: ${repositoryName}@${digest} lacks tag(s) ${missing.join(', ')} after the push.`);
  }
  return found;
}
