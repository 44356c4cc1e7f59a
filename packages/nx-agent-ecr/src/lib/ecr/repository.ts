// ECR repositories on top of EcrPort: describe, ensure (create with the options' settings), report drift.
import type { Repository } from '@aws-sdk/client-ecr';
import type { EcrPort } from '../aws/clients';
import { awsErrorName, explainAccessDenied } from '../aws/errors';
import { oneLine, UserError } from '../errors';
import { describeMutability, exclusionFilterInput, mutabilityOf, type MutabilitySettings } from './mutability';

export interface RepositorySettings {
  repositoryName: string;
  scanOnPush: boolean;
  encryption: 'AES256' | 'KMS';
  kmsKey?: string;
  /** Tag mutability and its exclusion filters, on creation; a repository that differs is reported as drift. */
  mutability: MutabilitySettings;
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

/** One repository; `registryId` names another account's registry (a promotion source), asked on its own. */
export async function describeRepository(ecr: EcrPort, repositoryName: string, registryId?: string): Promise<Repository | undefined> {
  if (!registryId) return (await describeRepositories(ecr, [repositoryName])).get(repositoryName);
  try {
    const out = await ecr.describeRepositories({ repositoryNames: [repositoryName], registryId });
    return out.repositories?.[0];
  } catch (error) {
    if (awsErrorName(error) === 'RepositoryNotFoundException') return undefined;
    return explainAccessDenied(error, 'ecr:DescribeRepositories', `repository ${repositoryName}`);
  }
}

/** ECR's limit on repositoryNames in one DescribeRepositories call. */
export const DESCRIBE_REPOSITORIES_MAX = 100;

/**
 * The named repositories that exist, with one DescribeRepositories call per 100 names. ECR fails the whole call when
 * a name is missing and names it, so each missing repository costs one more call, not one call per name.
 */
export async function describeRepositories(ecr: EcrPort, names: string[]): Promise<Map<string, Repository>> {
  const found = new Map<string, Repository>();
  const unique = [...new Set(names)];
  for (let start = 0; start < unique.length; start += DESCRIBE_REPOSITORIES_MAX) {
    await describeChunk(ecr, unique.slice(start, start + DESCRIBE_REPOSITORIES_MAX), found);
  }
  return found;
}

async function describeChunk(ecr: EcrPort, names: string[], found: Map<string, Repository>): Promise<void> {
  let remaining = names;
  while (remaining.length > 0) {
    try {
      const out = await ecr.describeRepositories({ repositoryNames: remaining });
      for (const repo of out.repositories ?? []) if (repo.repositoryName) found.set(repo.repositoryName, repo);
      return;
    } catch (error) {
      if (awsErrorName(error) !== 'RepositoryNotFoundException') {
        const more = remaining.length > 1 ? ` (and ${remaining.length - 1} more)` : '';
        explainAccessDenied(error, 'ecr:DescribeRepositories', `repository ${remaining[0]}${more}`);
      }
      const missing = /repository with name '([^']+)'/i.exec(oneLine(error))?.[1];
      if (missing === undefined || !remaining.includes(missing)) {
        // Not ECR's wording: ask for each name alone rather than guess.
        if (remaining.length > 1) for (const name of remaining) await describeChunk(ecr, [name], found);
        return;
      }
      remaining = remaining.filter((name) => name !== missing);
    }
  }
}

/** The settings of an existing repository that differ from what the options ask for. */
export function repositoryDrift(repo: Repository, want: RepositorySettings): string[] {
  const drift: string[] = [];
  const scan = repo.imageScanningConfiguration?.scanOnPush ?? false;
  if (scan !== want.scanOnPush) drift.push(`scanOnPush is ${scan}, options ask for ${want.scanOnPush}`);
  const have = mutabilityOf(repo);
  const sorted = (filters: string[]) => [...filters].sort().join('\0');
  if (have.mutability !== want.mutability.mutability || sorted(have.exclusionFilters) !== sorted(want.mutability.exclusionFilters)) {
    drift.push(`imageTagMutability is ${describeMutability(have)}, options ask for ${describeMutability(want.mutability)}`);
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
    imageTagMutability: want.mutability.mutability,
    ...(want.mutability.exclusionFilters.length
      ? { imageTagMutabilityExclusionFilters: exclusionFilterInput(want.mutability.exclusionFilters) }
      : {}),
    encryptionConfiguration:
      want.encryption === 'KMS'
        ? { encryptionType: 'KMS' as const, ...(want.kmsKey ? { kmsKey: want.kmsKey } : {}) }
        : { encryptionType: 'AES256' as const },
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
