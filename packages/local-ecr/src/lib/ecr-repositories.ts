// ECR repository operations: create, describe, delete, scanning and mutability settings, lifecycle policies.
import { EcrError, invalidParameter, repositoryNotFound } from './errors';
import { type ServerContext, persist } from './context';
import { type Input, optionalArray, optionalObject, optionalString, optionalStringArray, page, requiredString } from './input';
import { repositoryArn, repositoryNameProblem, repositoryUri, WILDCARD_FILTER_PATTERN } from './naming';
import { removeRepositoryOnDisk } from './registry-client';
import { forgetRepository, type MutabilityExclusionFilter, type RepositoryRecord, type TagMutability } from './state';

const MUTABILITIES: readonly TagMutability[] = ['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION'];

export const seconds = (epochMs: number) => epochMs / 1000;

/** A repository name as ECR checks it on every operation: refused with InvalidParameterException when invalid. */
export function validRepositoryName(name: string): string {
  const problem = repositoryNameProblem(name);
  if (problem) throw invalidParameter(problem);
  return name;
}

/** The repository, or ECR's RepositoryNotFoundException. */
export function repositoryOrThrow(context: ServerContext, input: Input): RepositoryRecord {
  const name = validRepositoryName(requiredString(input, 'repositoryName'));
  const repository = context.state.repositories.get(name);
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

/** ECR's exclusion filters: 1 to 5 of `{filterType: 'WILDCARD', filter}`, each filter 1-128 tag characters or `*`. */
function exclusionFilters(input: Input): MutabilityExclusionFilter[] | undefined {
  const filters = optionalArray(input, 'imageTagMutabilityExclusionFilters');
  if (filters === undefined) return undefined;
  if (filters.length > 5)
    throw invalidParameter(
      `Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'Member must have length less than or equal to 5'`,
    );
  return filters.map((raw) => {
    const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const filter = entry['filter'];
    if (entry['filterType'] !== 'WILDCARD' || typeof filter !== 'string' || !WILDCARD_FILTER_PATTERN.test(filter)) {
      throw invalidParameter(
        `Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'each filter must be {filterType: WILDCARD, filter: [0-9a-zA-Z._*-]{1,128}}'`,
      );
    }
    return { filterType: 'WILDCARD', filter };
  });
}

function mutability(input: Input): {
  imageTagMutability?: TagMutability;
  imageTagMutabilityExclusionFilters?: MutabilityExclusionFilter[];
} {
  const value = optionalString(input, 'imageTagMutability');
  if (value !== undefined && !MUTABILITIES.includes(value as TagMutability)) {
    throw invalidParameter(
      `Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [${MUTABILITIES.join(', ')}]'`,
    );
  }
  const filters = exclusionFilters(input);
  const needsFilters = value?.endsWith('_WITH_EXCLUSION') ?? false;
  if (needsFilters !== Boolean(filters?.length)) {
    throw invalidParameter(
      `imageTagMutabilityExclusionFilters must be given exactly when imageTagMutability is MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION.`,
    );
  }
  return {
    ...(value ? { imageTagMutability: value as TagMutability } : {}),
    ...(filters?.length ? { imageTagMutabilityExclusionFilters: filters } : {}),
  };
}

export async function createRepository(context: ServerContext, input: Input) {
  const name = validRepositoryName(requiredString(input, 'repositoryName'));
  if (context.state.repositories.has(name)) {
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
  context.state.repositories.set(name, repository);
  await persist(context);
  return { repository: describeRepository(context, repository) };
}

export function describeRepositories(context: ServerContext, input: Input) {
  const names = optionalStringArray(input, 'repositoryNames');
  const repositories = names
    ? names.map(
        (name) =>
          context.state.repositories.get(validRepositoryName(name)) ??
          (() => {
            throw repositoryNotFound(name, context.accountId);
          })(),
      )
    : [...context.state.repositories.values()].sort((a, b) => a.createdAt - b.createdAt);
  const { items, nextToken } = page(repositories, input);
  return { repositories: items.map((repository) => describeRepository(context, repository)), ...(nextToken ? { nextToken } : {}) };
}

export async function deleteRepository(context: ServerContext, input: Input) {
  const found = repositoryOrThrow(context, input);
  // Under the repository's tag-write lock: a push that is storing a manifest finishes first, then the delete runs.
  return context.repositoryLocks.run(found.name, async () => {
    const repository = repositoryOrThrow(context, input);
    if ((context.state.images.get(repository.name)?.size ?? 0) > 0 && input['force'] !== true) {
      throw new EcrError(
        'RepositoryNotEmptyException',
        `The repository with name '${repository.name}' in registry with id '${context.accountId}' cannot be deleted because it still contains images`,
      );
    }
    removeRepositoryOnDisk(context.inner, repository.name);
    forgetRepository(context.state, repository.name);
    context.scans.forget(repository.name);
    await persist(context);
    return { repository: describeRepository(context, repository) };
  });
}

export async function putImageScanningConfiguration(context: ServerContext, input: Input) {
  const repository = repositoryOrThrow(context, input);
  const scanning = optionalObject(input, 'imageScanningConfiguration');
  if (!scanning)
    throw invalidParameter(`Invalid parameter at 'imageScanningConfiguration' failed to satisfy constraint: 'Member must not be null'`);
  repository.scanOnPush = scanning['scanOnPush'] === true;
  await persist(context);
  return {
    registryId: context.accountId,
    repositoryName: repository.name,
    imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
  };
}

export async function putImageTagMutability(context: ServerContext, input: Input) {
  const repository = repositoryOrThrow(context, input);
  const { imageTagMutability, imageTagMutabilityExclusionFilters } = mutability(input);
  if (!imageTagMutability)
    throw invalidParameter(`Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must not be null'`);
  repository.imageTagMutability = imageTagMutability;
  if (imageTagMutabilityExclusionFilters) repository.imageTagMutabilityExclusionFilters = imageTagMutabilityExclusionFilters;
  else delete repository.imageTagMutabilityExclusionFilters;
  await persist(context);
  return {
    registryId: context.accountId,
    repositoryName: repository.name,
    imageTagMutability,
    ...(imageTagMutabilityExclusionFilters ? { imageTagMutabilityExclusionFilters } : {}),
  };
}
