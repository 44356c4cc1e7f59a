// ECR's naming rules (repository names, tags, digests) and the addresses local-ecr hands out.

/** ECR's repository name pattern (from the service model), anchored. */
export const REPOSITORY_NAME_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REPOSITORY_NAME_SOURCE = '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*';
export const TAG_PATTERN = /^[\w][\w.-]{0,127}$/;
export const DIGEST_PATTERN = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** ECR's answer for a repository name that breaks the rules, or undefined when it is valid. */
export function repositoryNameProblem(name: string): string | undefined {
  if (name.length < 2 || name.length > 256) {
    return `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must have length between 2 and 256'`;
  }
  if (!REPOSITORY_NAME_PATTERN.test(name)) {
    return (
      `Invalid parameter at 'repositoryName' failed to satisfy constraint: ` +
      `'must satisfy regular expression '${REPOSITORY_NAME_SOURCE}''`
    );
  }
  return undefined;
}

export const repositoryUri = (host: string, name: string) => `${host}/${name}`;

export const repositoryArn = (region: string, accountId: string, name: string) => `arn:aws:ecr:${region}:${accountId}:repository/${name}`;

/** Matches a wildcard tag filter of ECR's mutability exclusions (`*` is the only wildcard). */
export function matchesWildcard(filter: string, tag: string): boolean {
  const source = filter
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(tag);
}
