// ECR image writes: PutImage (store or move a tag without moving data) and BatchDeleteImage.
import { EcrError, invalidParameter } from './errors';
import { type ServerContext, persist } from './context';
import { immutableTagRefusal, recordManifest } from './image-book';
import { requireImageIds, resolveImageId } from './image-ids';
import { type Input, optionalString, requiredString } from './input';
import { manifestFacts, sha256Digest } from './manifest';
import { TAG_PATTERN } from './naming';
import { repositoryOrThrow } from './ecr-repositories';
import { deleteManifest, putManifest, removeTagOnDisk } from './registry-client';
import { digestOfTag, forgetImage, imagesOf } from './state';

/** Turns the inner registry's refusal of a manifest into the exception ECR raises for it. */
function refusalOf(context: ServerContext, repository: string, status: number, body: string): EcrError {
  const errors = (JSON.parse(body || '{}') as { errors?: { code?: string; detail?: unknown }[] }).errors ?? [];
  const missing = errors
    .filter((e) => e.code === 'MANIFEST_BLOB_UNKNOWN' || e.code === 'BLOB_UNKNOWN')
    .map((e) => JSON.stringify(e.detail));
  if (missing.length) {
    return new EcrError(
      'LayersNotFoundException',
      `Layers with digests '${missing.join(', ')}' required for pushing image into repository ` +
        `with name '${repository}' in the registry with id '${context.accountId}' do not exist`,
    );
  }
  return invalidParameter(
    `Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'the registry ` +
      `refused the manifest (${status}): ${errors.map((e) => e.code).join(', ')}'`,
  );
}

export async function putImage(context: ServerContext, input: Input) {
  const repository = repositoryOrThrow(context, input);
  const manifest = requiredString(input, 'imageManifest');
  const tag = optionalString(input, 'imageTag');
  if (tag !== undefined && !TAG_PATTERN.test(tag))
    throw invalidParameter(
      `Invalid parameter at 'imageTag' failed to satisfy constraint: 'Member must satisfy regular expression pattern: [a-zA-Z0-9._-]+'`,
    );
  let mediaType: string;
  try {
    mediaType = optionalString(input, 'imageManifestMediaType') ?? manifestFacts(manifest).mediaType;
  } catch {
    throw invalidParameter(`Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'`);
  }
  const digest = sha256Digest(manifest);
  const givenDigest = optionalString(input, 'imageDigest');
  if (givenDigest && givenDigest !== digest)
    throw new EcrError('ImageDigestDoesNotMatchException', `Provided digest ${givenDigest} does not match calculated digest ${digest}`);
  const current = tag ? digestOfTag(context.state, repository.name, tag) : imagesOf(context.state, repository.name)[digest]?.digest;
  if (current === digest) {
    throw new EcrError(
      'ImageAlreadyExistsException',
      `Image with digest '${digest}'${tag ? ` and tag '${tag}'` : ''} already exists in the ` +
        `repository with name '${repository.name}' in registry with id '${context.accountId}'`,
    );
  }
  const refusal = tag ? immutableTagRefusal(context, repository, tag) : undefined;
  if (refusal) throw new EcrError('ImageTagAlreadyExistsException', refusal);
  const stored = await putManifest(context.inner, repository.name, tag ?? digest, manifest, mediaType);
  if (stored.status !== 201) throw refusalOf(context, repository.name, stored.status, stored.body);
  recordManifest(context, repository.name, tag ?? digest, manifest, digest, mediaType);
  return {
    image: {
      registryId: context.accountId,
      repositoryName: repository.name,
      imageId: { imageDigest: digest, ...(tag ? { imageTag: tag } : {}) },
      imageManifest: manifest,
      imageManifestMediaType: mediaType,
    },
  };
}

export async function batchDeleteImage(context: ServerContext, input: Input) {
  const repository = repositoryOrThrow(context, input);
  const deleted: object[] = [];
  const failures: object[] = [];
  for (const id of requireImageIds(input)) {
    const found = resolveImageId(context.state, repository.name, id);
    if (!('image' in found)) {
      failures.push({ imageId: id, failureCode: found.failureCode, failureReason: found.failureReason });
      continue;
    }
    const image = found.image;
    if (id.imageTag && !id.imageDigest && image.tags.length > 1) {
      // ECR removes just the tag while the image keeps others; distribution 2.8 has no untag call.
      removeTagOnDisk(context.inner, repository.name, id.imageTag);
      image.tags = image.tags.filter((tag) => tag !== id.imageTag);
      deleted.push({ imageDigest: image.digest, imageTag: id.imageTag });
      continue;
    }
    const status = await deleteManifest(context.inner, repository.name, image.digest);
    if (status !== 202 && status !== 404) {
      failures.push({ imageId: id, failureCode: 'ImageNotFound', failureReason: `The registry could not delete the image (${status})` });
      continue;
    }
    forgetImage(context.state, repository.name, image.digest);
    if (image.tags.length === 0) deleted.push({ imageDigest: image.digest });
    for (const imageTag of image.tags) deleted.push({ imageDigest: image.digest, imageTag });
  }
  persist(context);
  return { imageIds: deleted, failures };
}
