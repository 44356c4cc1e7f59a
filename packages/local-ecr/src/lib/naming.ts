// ECR's naming rules (repository names, tags, digests) and the addresses local-ecr hands out.

/** ECR's repository name pattern (from the service model), anchored. */
export const REPOSITORY_NAME_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REPOSITORY_NAME_SOURCE = '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*';
export const TAG_PATTERN = /^[\w][\w.-]{0,127}$/;
export const DIGEST_PATTERN = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Names that are properties of every JavaScript object: refused, so no code path can ever confuse them. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** ECR's answer for a repository name that breaks the rules, or undefined when it is valid. */
export function repositoryNameProblem(name: string): string | undefined {
  if (RESERVED_NAMES.has(name)) {
    return `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'the name '${name}' is reserved by local-ecr; choose another name'`;
  }
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

/**
 * Matches a wildcard tag filter of ECR's mutability exclusions (`*` is the only wildcard). No regular expression:
 * a filter like `*a*a*a…` would backtrack exponentially; this walk is at most filter × tag steps.
 */
export function matchesWildcard(filter: string, tag: string): boolean {
  let f = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < tag.length) {
    if (f < filter.length && filter[f] === tag[t]) {
      f += 1;
      t += 1;
    } else if (f < filter.length && filter[f] === '*') {
      star = f;
      f += 1;
      resume = t;
    } else if (star >= 0) {
      f = star + 1;
      resume += 1;
      t = resume;
    } else return false;
  }
  while (filter[f] === '*') f += 1;
  return f === filter.length;
}

/** ECR's rule for an exclusion filter: 1-128 characters of a tag, plus `*`. */
export const WILDCARD_FILTER_PATTERN = /^[0-9a-zA-Z._*-]{1,128}$/;
