import { matchesWildcard, repositoryNameProblem } from './naming';
import { tagIsImmutable } from './image-book';
import type { RepositoryRecord } from './state';

describe('repository names', () => {
  test.each(['app', 'team/app', 'a.b-c_d/e2', 'x'.repeat(256)])('accepts %s', (name) => {
    expect(repositoryNameProblem(name)).toBeUndefined();
  });

  test.each([
    ['Upper', /regular expression/],
    ['a//b', /regular expression/],
    ['-lead', /regular expression/],
    ['trail/', /regular expression/],
    ['a', /length between 2 and 256/],
    ['x'.repeat(257), /length between 2 and 256/],
  ])('refuses %s', (name, problem) => {
    expect(repositoryNameProblem(name)).toMatch(problem);
  });
});

describe('tag mutability', () => {
  const repository = (imageTagMutability: RepositoryRecord['imageTagMutability'], filter?: string): RepositoryRecord => ({
    name: 'app',
    createdAt: 0,
    imageTagMutability,
    ...(filter ? { imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD' as const, filter }] } : {}),
    scanOnPush: false,
    encryptionType: 'AES256',
  });

  test.each([
    ['MUTABLE', undefined, 'v1', false],
    ['IMMUTABLE', undefined, 'v1', true],
    ['IMMUTABLE_WITH_EXCLUSION', 'latest*', 'latest', false],
    ['IMMUTABLE_WITH_EXCLUSION', 'latest*', 'v1', true],
    ['MUTABLE_WITH_EXCLUSION', 'release-*', 'release-1', true],
    ['MUTABLE_WITH_EXCLUSION', 'release-*', 'dev', false],
  ] as const)('%s (exclusion %s): tag %s immutable = %s', (mutability, filter, tag, immutable) => {
    expect(tagIsImmutable(repository(mutability, filter), tag)).toBe(immutable);
  });

  test.each([
    ['v1.*', 'v1.2', true],
    ['v1.*', 'v1x2', false],
    ['*', '', true],
    ['release-*-rc*', 'release-2-rc10', true],
    ['release-*-rc*', 'release-2', false],
    ['*latest', 'not-latest', true],
    ['a*b*c', 'abbbc', true],
    ['a*b*c', 'acb', false],
    ['*a'.repeat(60), `${'a'.repeat(127)}b`, false],
  ])('filter %s matches tag %s: %s (only * is a wildcard, without backtracking blow-up)', (filter, tag, matches) => {
    expect(matchesWildcard(filter, tag)).toBe(matches);
  });
});
