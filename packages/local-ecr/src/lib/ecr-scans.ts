// ECR basic scanning: StartImageScan, DescribeImageScanFindings, scan on push, and the scan fields of DescribeImages.
import type { ServerContext } from './context';
import { EcrError } from './errors';
import { imageIdText, requireImageId, resolveImageId, type ImageId } from './image-ids';
import { readerView } from './image-view';
import { type Input, page } from './input';
import { repositoryOrThrow, seconds } from './ecr-repositories';
import { scanStatus, severityCounts, type ScanRecord } from './scans';
import type { ImageRecord, RepositoryRecord } from './state';

const DAY_MS = 24 * 60 * 60 * 1000;
const INDEX_TYPES = new Set(['application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.index.v1+json']);

/** Starts the scan of a newly pushed image when its repository scans on push (unless set to SCAN_NOT_FOUND). */
export function scanOnPush(context: ServerContext, repository: string, image: ImageRecord): void {
  if (!context.state.repositories.get(repository)?.scanOnPush) return;
  if (context.scans.settingFor(repository, image.tags).status === 'SCAN_NOT_FOUND') return;
  context.scans.start(repository, image.digest, image.tags, context.now());
}

function imageOrThrow(context: ServerContext, repository: RepositoryRecord, id: ImageId): ImageRecord {
  const found = resolveImageId(readerView(context, repository.name), id);
  if ('image' in found) return found.image;
  throw new EcrError(
    'ImageNotFoundException',
    `The image with imageId ${imageIdText(id)} does not exist within the repository with name '${repository.name}' in the registry with id '${context.accountId}'`,
  );
}

export function startImageScan(context: ServerContext, input: Input) {
  const repository = repositoryOrThrow(context, input);
  const id = requireImageId(input);
  const image = imageOrThrow(context, repository, id);
  if (INDEX_TYPES.has(image.manifestMediaType))
    throw new EcrError('UnsupportedImageTypeException', 'The image is of a type that cannot be scanned.');
  const existing = context.scans.recordOf(repository.name, image.digest);
  // Basic scanning allows one scan per image per day, as ECR does.
  if (existing && context.now() - existing.startedAt < DAY_MS)
    throw new EcrError('LimitExceededException', 'The scan quota per image has been exceeded. Wait and try again.');
  const record = context.scans.start(repository.name, image.digest, image.tags, context.now());
  return {
    registryId: context.accountId,
    repositoryName: repository.name,
    imageId: { imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
    imageScanStatus: statusOf(context, record, false).imageScanStatus,
  };
}

function statusOf(context: ServerContext, record: ScanRecord, poll: boolean) {
  const { status, description, completedAt } = scanStatus(record, context.now(), poll);
  return { imageScanStatus: { status, description }, completedAt };
}

export function describeImageScanFindings(context: ServerContext, input: Input) {
  const repository = repositoryOrThrow(context, input);
  const id = requireImageId(input);
  const image = imageOrThrow(context, repository, id);
  const record = context.scans.recordOf(repository.name, image.digest);
  if (!record) {
    throw new EcrError(
      'ScanNotFoundException',
      `Image scan does not exist for the image with '${imageIdText({ imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) })}' in the repository with name '${repository.name}' in the registry with id '${context.accountId}'`,
    );
  }
  const { imageScanStatus, completedAt } = statusOf(context, record, true);
  const answer = {
    registryId: context.accountId,
    repositoryName: repository.name,
    imageId: { imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
    imageScanStatus,
  };
  if (imageScanStatus.status !== 'COMPLETE' || completedAt === undefined) return answer;
  const findings = record.setting.findings;
  const { items, nextToken } = page(findings, input, 1000);
  return {
    ...answer,
    imageScanFindings: {
      imageScanCompletedAt: seconds(completedAt),
      vulnerabilitySourceUpdatedAt: seconds(record.startedAt),
      findingSeverityCounts: severityCounts(findings),
      findings: items,
    },
    ...(nextToken ? { nextToken } : {}),
  };
}

/** DescribeImages' imageScanStatus and imageScanFindingsSummary of an image (none before its first scan). */
export function scanFields(context: ServerContext, repository: string, image: ImageRecord): object {
  const record = context.scans.recordOf(repository, image.digest);
  if (!record) return {};
  const { imageScanStatus, completedAt } = statusOf(context, record, false);
  if (imageScanStatus.status !== 'COMPLETE' || completedAt === undefined) return { imageScanStatus };
  return {
    imageScanStatus,
    imageScanFindingsSummary: {
      imageScanCompletedAt: seconds(completedAt),
      vulnerabilitySourceUpdatedAt: seconds(record.startedAt),
      findingSeverityCounts: severityCounts(record.setting.findings),
    },
  };
}
