// ECR repository operations: create, describe, delete, scanning and mutability settings, lifecycle policies.
import { EcrError, invalidParameter, repositoryNotFound } from './errors';
import { type ServerContext, persist } from './context';
import { type Input, optionalArray, optionalObject, optionalString, optionalStringArray, page, requiredString } from './input';
import { repositoryArn, repositoryNameProblem, repositoryUri } from './naming';
import { removeRepositoryOnDisk } from './registry-client';
import { forgetRepository, type MutabilityExclusionFilter, type RepositoryRecord, type TagMutability } from './state';

const MUTABILITIES: readonly TagMutability[] = ['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION'];

export const seconds = (epochMs: number) => epochMs / 1000;

/** The repository, or ECR's RepositoryNotFoundException. */
export function repositoryOrThrow(context: ServerContext, input: Input): RepositoryRecord {
  const name = requiredString(input, 'repositoryName');
  const repository = context.state.repositories[name];
  if (!repository) throw repositoryNotFound(name, context.accountId);
  return repository;
}

export function describeRepository(context: ServerContext, repository: RepositoryRecord) {
  return {
    repositoryArn: repositoryArn(context.region, context.accountId, repository.name),
    registryId: context.accountId,
    repositoryName: repository.name,
    repositoryUri: repositoryUri(context.host, repository.name),
    createdAt: seconds(repository.createdAt),
    imageTagMutability: repository.imageTagMutability,
    ...(repository.imageTagMutabilityExclusionFilters
      ? { imageTagMutabilityExclusionFilters: repository.imageTagMutabilityExclusionFilters }
      : {}),
    imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
    encryptionConfiguration: {
      encryptionType: repository.encryptionType,
      ...(repository.kmsKey ? { kmsKey: repository.kmsKey } : {}),
    },
  };
}

function mutability(input: Input): {
  imageTagMutability?: TagMutability;
  imageTagMutabilityExclusionFilters?: MutabilityExclusionFilter[];
} {
  const value = optionalString(input, 'imageTagMutability');
  if (value !== undefined && !MUTABILITIES.includes(value as TagMutability)) {
    throw invalidParameter(
      `Invalid parameter at 'imageTagMutability' failed to satisfy constraint: ` +
        `'Member must satisfy enum value set: [${MUTABILITIES.join(', ')}]'`,
    );
  }
  const filters = optionalArray(input, 'imageTagMutabilityExclusionFilters') as MutabilityExclusionFilter[] | undefined;
  const needsFilters = value?.endsWith('_WITH_EXCLUSION') ?? false;
  if (needsFilters !== Boolean(filters?.length)) {
    throw invalidParameter(
      `imageTagMutabilityExclusionFilters must be given exactly when ` +
        `imageTagMutability is MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION.`,
    );
  }
  return {
    ...(value ? { imageTagMutability: value as TagMutability } : {}),
    ...(filters?.length ? { imageTagMutabilityExclusionFilters: filters } : {}),
  };
}

export function createRepository(context: ServerContext, input: Input) {
  const name = requiredString(input, 'repositoryName');
  const problem = repositoryNameProblem(name);
  if (problem) throw invalidParameter(problem);
  if (context.state.repositories[name]) {
    throw new EcrError(
      'RepositoryAlreadyExistsException',
      `The repository with name '${name}' already exists in the registry with id '${context.accountId}'`,
    );
  }
  const scanning = optionalObject(input, 'imageScanningConfiguration');
  const encryption = optionalObject(input, 'encryptionConfiguration');
  const { imageTagMutability = 'MUTABLE', imageTagMutabilityExclusionFilters } = mutability(input);
  const repository: RepositoryRecord = {
    name,
    createdAt: context.now(),
    imageTagMutability,
    ...(imageTagMutabilityExclusionFilters ? { imageTagMutabilityExclusionFilters } : {}),
    scanOnPush: scanning?.['scanOnPush'] === true,
    encryptionType: (encryption && optionalString(encryption, 'encryptionType')) ?? 'AES256',
    ...(encryption && optionalString(encryption, 'kmsKey') ? { kmsKey: optionalString(encryption, 'kmsKey') } : {}),
    ...(optionalArray(input, 'tags') ? { tags: optionalArray(input, 'tags') as RepositoryRecord['tags'] } : {}),
  };
  context.state.repositories[name] = repository;
  persist(context);
  return { repository: describeRepository(context, repository) };
}

export function describeRepositories(context: ServerContext, input: Input) {
  const names = optionalStringArray(input, 'repositoryNames');
  const repositories = names
    ? names.map(
        (name) =>
          context.state.repositories[name] ??
          (() => {
            throw repositoryNotFound(name, context.accountId);
          })(),
      )
    : Object.values(context.state.repositories).sort((a, b) => a.createdAt - b.createdAt);
  const { items, nextToken } = page(repositories, input);
  return { repositories: items.map((repository) => describeRepository(context, repository)), ...(nextToken ? { nextToken } : {}) };
}

export function deleteRepository(context: ServerContext, input: Input) {
  const repository = repositoryOrThrow(context, input);
  const images = context.state.images[repository.name] ?? {};
  if (Object.keys(images).length > 0 && input['force'] !== true) {
    throw new EcrError(
      'RepositoryNotEmptyException',
      `The repository with name '${repository.name}' in registry with id ` +
        `'${context.accountId}' cannot be deleted because it still contains images`,
    );
  }
  removeRepositoryOnDisk(context.inner, repository.name);
  forgetRepository(context.state, repository.name);
  persist(context);
  return { repository: describeRepository(context, repository) };
}

export function putImageScanningConfiguration(context: ServerContext, input: Input) {
  const repository = repositoryOrThrow(context, input);
  const scanning = optionalObject(input, 'imageScanningConfiguration');
  if (!scanning)
    throw invalidParameter(`Invalid parameter at 'imageScanningConfiguration' failed to satisfy constraint: 'Member must not be null'`);
  repository.scanOnPush = scanning['scanOnPush'] === true;
  persist(context);
  return {
    registryId: context.accountId,
    repositoryName: repository.name,
    imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
  };
}

export function putImageTagMutability(context: ServerContext, input: Input) {
  const repository = repositoryOrThrow(context, input);
  const { imageTagMutability, imageTagMutabilityExclusionFilters } = mutability(input);
  if (!imageTagMutability)
    throw invalidParameter(`Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must not be null'`);
  repository.imageTagMutability = imageTagMutability;
  repository.imageTagMutabilityExclusionFilters = imageTagMutabilityExclusionFilters;
  persist(context);
  return {
    registryId: context.accountId,
    repositoryName: repository.name,
    imageTagMutability,
    ...(imageTagMutabilityExclusionFilters ? { imageTagMutabilityExclusionFilters } : {}),
  };
}
