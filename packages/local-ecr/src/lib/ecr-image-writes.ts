// ECR image writes: PutImage (store or move a tag without moving data) and BatchDeleteImage.
import { EcrError, invalidParameter } from './errors';
import { type ServerContext, persist } from './context';
import { crashNow } from './fault-http';
import type { FaultEffect } from './faults';
import { immutableTagRefusal, recordManifest } from './image-book';
import { requireImageIds, resolveImageId, type ImageId } from './image-ids';
import { writerView } from './image-view';
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
      `Layers with digests '${missing.join(', ')}' required for pushing image into repository with name '${repository}' in the registry with id '${context.accountId}' do not exist`,
    );
  }
  return invalidParameter(
    `Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'the registry refused the manifest (${status}): ${errors.map((e) => e.code).join(', ')}'`,
  );
}

export async function putImage(context: ServerContext, input: Input, effect?: FaultEffect) {
  const { name } = repositoryOrThrow(context, input);
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
  // Check, store and record under the repository's lock: of two writes of one immutable tag, exactly one wins.
  return context.repositoryLocks.run(name, async () => {
    const repository = repositoryOrThrow(context, input);
    const current = tag ? digestOfTag(context.state, name, tag) : imagesOf(context.state, name).get(digest)?.digest;
    if (current === digest) {
      throw new EcrError(
        'ImageAlreadyExistsException',
        `Image with digest '${digest}'${tag ? ` and tag '${tag}'` : ''} already exists in the repository with name '${name}' in registry with id '${context.accountId}'`,
      );
    }
    const refusal = tag ? immutableTagRefusal(context, repository, tag) : undefined;
    if (refusal) throw new EcrError('ImageTagAlreadyExistsException', refusal);
    const stored = await putManifest(context.inner, name, tag ?? digest, manifest, mediaType);
    if (stored.status !== 201) throw refusalOf(context, name, stored.status, stored.body);
    if (effect?.crashAfterStore) crashNow();
    await recordManifest(
      context,
      { repository: name, reference: tag ?? digest, body: manifest, digest, contentType: mediaType },
      effect?.hideTagMs,
    );
    return {
      image: {
        registryId: context.accountId,
        repositoryName: name,
        imageId: { imageDigest: digest, ...(tag ? { imageTag: tag } : {}) },
        imageManifest: manifest,
        imageManifestMediaType: mediaType,
      },
    };
  });
}

async function deleteOne(context: ServerContext, repository: string, id: ImageId): Promise<{ deleted: object[] } | { failure: object }> {
  const found = resolveImageId(writerView(context.state, repository), id);
  if (!('image' in found)) return { failure: { imageId: id, failureCode: found.failureCode, failureReason: found.failureReason } };
  const image = found.image;
  if (id.imageTag && !id.imageDigest && image.tags.length > 1) {
    // ECR removes just the tag while the image keeps others; distribution 2.8 has no untag call.
    removeTagOnDisk(context.inner, repository, id.imageTag);
    image.tags = image.tags.filter((tag) => tag !== id.imageTag);
    return { deleted: [{ imageDigest: image.digest, imageTag: id.imageTag }] };
  }
  const status = await deleteManifest(context.inner, repository, image.digest);
  if (status !== 202 && status !== 404) {
    return { failure: { imageId: id, failureCode: 'ImageNotFound', failureReason: `The registry could not delete the image (${status})` } };
  }
  forgetImage(context.state, repository, image.digest);
  context.scans.forget(repository, image.digest);
  if (image.tags.length === 0) return { deleted: [{ imageDigest: image.digest }] };
  return { deleted: image.tags.map((imageTag) => ({ imageDigest: image.digest, imageTag })) };
}

export async function batchDeleteImage(context: ServerContext, input: Input) {
  const { name } = repositoryOrThrow(context, input);
  const ids = requireImageIds(input);
  return context.repositoryLocks.run(name, async () => {
    repositoryOrThrow(context, input);
    const deleted: object[] = [];
    const failures: object[] = [];
    for (const id of ids) {
      const outcome = await deleteOne(context, name, id);
      if ('failure' in outcome) failures.push(outcome.failure);
      else deleted.push(...outcome.deleted);
    }
    await persist(context);
    return { imageIds: deleted, failures };
  });
}
