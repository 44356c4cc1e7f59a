// ECR tag mutability, including its exclusion filters (IMMUTABLE_WITH_EXCLUSION: e.g. content and git-sha tags
// immutable, `latest` mutable): which tags of a repository can never move (pure).
import type { ImageTagMutabilityExclusionFilter, Repository } from '@aws-sdk/client-ecr';

export const MUTABILITIES = ['MUTABLE', 'IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION', 'MUTABLE_WITH_EXCLUSION'] as const;
export type TagMutability = (typeof MUTABILITIES)[number];

export interface MutabilitySettings {
  mutability: TagMutability;
  /** ECR's wildcard filters (`*` is the only wildcard): tags that are the exception to `mutability`. */
  exclusionFilters: string[];
}

/** ECR's limits on exclusion filters: 1-5 filters of 1-128 tag characters or `*`. */
export const MAX_EXCLUSION_FILTERS = 5;
const FILTER = /^[0-9A-Za-z._*-]{1,128}$/;

export const withExclusions = (mutability: TagMutability) => mutability.endsWith('_WITH_EXCLUSION');

/** One line when the filters do not fit the mutability or ECR's rules, else undefined. */
export function mutabilityProblem(settings: MutabilitySettings): string | undefined {
  const { mutability, exclusionFilters: filters } = settings;
  if (!withExclusions(mutability)) {
    return filters.length
      ? `imageTagMutabilityExclusionFilters need imageTagMutability ${mutability}_WITH_EXCLUSION (it is ${mutability}).`
      : undefined;
  }
  if (filters.length === 0 || filters.length > MAX_EXCLUSION_FILTERS) {
    return `imageTagMutability ${mutability} needs 1 to ${MAX_EXCLUSION_FILTERS} imageTagMutabilityExclusionFilters (e.g. ["latest"]), got ${filters.length}.`;
  }
  const bad = filters.find((filter) => !FILTER.test(filter));
  return bad === undefined ? undefined : `Exclusion filter "${bad}" is not 1-128 characters of letters, digits, . _ - and the wildcard *.`;
}

/** ECR's wildcard match: `*` stands for any run of characters, everything else is literal. */
export function wildcardMatches(filter: string, tag: string): boolean {
  const parts = filter.split('*');
  if (parts.length === 1) return filter === tag;
  const first = parts[0] ?? '';
  const last = parts.at(-1) ?? '';
  if (!tag.startsWith(first) || !tag.endsWith(last) || tag.length < first.length + last.length) return false;
  let at = first.length;
  for (const middle of parts.slice(1, -1)) {
    const found = tag.indexOf(middle, at);
    if (found < 0 || found + middle.length > tag.length - last.length) return false;
    at = found + middle.length;
  }
  return true;
}

/** Whether `tag`, once set, can never move to another image in a repository with these settings. */
export function isImmutable(tag: string, settings: MutabilitySettings): boolean {
  const excluded = settings.exclusionFilters.some((filter) => wildcardMatches(filter, tag));
  if (settings.mutability === 'IMMUTABLE') return true;
  if (settings.mutability === 'IMMUTABLE_WITH_EXCLUSION') return !excluded;
  if (settings.mutability === 'MUTABLE_WITH_EXCLUSION') return excluded;
  return false;
}

/** A repository's settings as DescribeRepositories reports them. */
export function mutabilityOf(repo: Repository): MutabilitySettings {
  return {
    mutability: (repo.imageTagMutability ?? 'MUTABLE') as TagMutability,
    exclusionFilters: (repo.imageTagMutabilityExclusionFilters ?? []).map((f) => f.filter ?? '').filter(Boolean),
  };
}

/** The filters as CreateRepository takes them. */
export function exclusionFilterInput(filters: string[]): ImageTagMutabilityExclusionFilter[] {
  return filters.map((filter) => ({ filterType: 'WILDCARD', filter }));
}

/** `IMMUTABLE_WITH_EXCLUSION [latest]`, for messages. */
export function describeMutability(settings: MutabilitySettings): string {
  return settings.exclusionFilters.length ? `${settings.mutability} [${settings.exclusionFilters.join(', ')}]` : settings.mutability;
}
