// ECR image reads: DescribeImages, ListImages, BatchGetImage.
import { EcrError, invalidParameter } from './errors';
import type { ServerContext } from './context';
import { imageIdText, parseImageIds, requireImageIds, resolveImageId } from './image-ids';
import { readerView, type ImageView } from './image-view';
import { type Input, optionalObject, optionalString, optionalStringArray, page } from './input';
import { repositoryOrThrow, seconds } from './ecr-repositories';
import { scanFields } from './ecr-scans';
import { getManifest } from './registry-client';
import type { ImageRecord } from './state';

function tagStatusFilter(input: Input, view: ImageView): (image: ImageRecord) => boolean {
  const status = optionalString(optionalObject(input, 'filter') ?? {}, 'tagStatus') ?? 'ANY';
  if (!['TAGGED', 'UNTAGGED', 'ANY'].includes(status)) {
    throw invalidParameter(
      `Invalid parameter at 'filter.tagStatus' failed to satisfy constraint: 'Member must satisfy enum value set: [TAGGED, UNTAGGED, ANY]'`,
    );
  }
  return (image) => status === 'ANY' || (status === 'TAGGED') === view.tagsOf(image).length > 0;
}

export function describeImages(context: ServerContext, input: Input) {
  const repository = repositoryOrThrow(context, input);
  const ids = parseImageIds(input);
  const view = readerView(context, repository.name);
  let images = view.all();
  if (ids) {
    images = ids.map((id) => {
      const found = resolveImageId(view, id);
      if ('image' in found) return found.image;
      throw new EcrError(
        'ImageNotFoundException',
        `The image with imageId ${imageIdText(id)} does not exist within the repository ` +
          `with name '${repository.name}' in the registry with id '${context.accountId}'`,
      );
    });
  }
  const { items, nextToken } = page(images.filter(tagStatusFilter(input, view)), input);
  return {
    imageDetails: items.map((image) => {
      const tags = view.tagsOf(image);
      return {
        registryId: context.accountId,
        repositoryName: repository.name,
        imageDigest: image.digest,
        ...(tags.length ? { imageTags: [...tags] } : {}),
        imageSizeInBytes: image.sizeInBytes,
        imagePushedAt: seconds(image.pushedAt),
        imageManifestMediaType: image.manifestMediaType,
        ...(image.artifactMediaType ? { artifactMediaType: image.artifactMediaType } : {}),
        ...scanFields(context, repository.name, image),
      };
    }),
    ...(nextToken ? { nextToken } : {}),
  };
}

export function listImages(context: ServerContext, input: Input) {
  const repository = repositoryOrThrow(context, input);
  const view = readerView(context, repository.name);
  const ids = view
    .all()
    .filter(tagStatusFilter(input, view))
    .flatMap((image) => {
      const tags = view.tagsOf(image);
      return tags.length ? tags.map((imageTag) => ({ imageDigest: image.digest, imageTag })) : [{ imageDigest: image.digest }];
    });
  const { items, nextToken } = page(ids, input);
  return { imageIds: items, ...(nextToken ? { nextToken } : {}) };
}

export async function batchGetImage(context: ServerContext, input: Input) {
  const repository = repositoryOrThrow(context, input);
  const ids = requireImageIds(input);
  const accepted = optionalStringArray(input, 'acceptedMediaTypes');
  const images: object[] = [];
  const failures: object[] = [];
  const view = readerView(context, repository.name);
  for (const id of ids) {
    const found = resolveImageId(view, id);
    if (!('image' in found)) {
      failures.push({ imageId: id, failureCode: found.failureCode, failureReason: found.failureReason });
      continue;
    }
    const manifest = await getManifest(context.inner, repository.name, found.image.digest, accepted ?? undefined);
    if (manifest.status !== 200) {
      failures.push({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
      continue;
    }
    images.push({
      registryId: context.accountId,
      repositoryName: repository.name,
      imageId: { imageDigest: found.image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
      imageManifest: manifest.body,
      imageManifestMediaType: found.image.manifestMediaType,
    });
  }
  return { images, failures };
}
