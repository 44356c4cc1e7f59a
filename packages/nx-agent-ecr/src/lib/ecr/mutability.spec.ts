// Which tags can never move: ECR's four mutabilities and its wildcard exclusion filters.
import { isImmutable, mutabilityProblem, wildcardMatches, type MutabilitySettings } from './mutability';

describe('wildcardMatches', () => {
  test.each([
    ['latest', 'latest', true],
    ['latest', 'latest2', false],
    ['dev-*', 'dev-abc', true],
    ['dev-*', 'dev-', true],
    ['*-rc', 'v1-rc', true],
    ['v*-*', 'v1-rc', true],
    ['v*-*', 'v1', false],
    ['*', 'anything', true],
    ['a*a', 'a', false],
  ])('%s ~ %s = %s', (filter, tag, expected) => expect(wildcardMatches(filter, tag)).toBe(expected));
});

describe('isImmutable', () => {
  const s = (mutability: MutabilitySettings['mutability'], exclusionFilters: string[] = []): MutabilitySettings => ({
    mutability,
    exclusionFilters,
  });
  test.each<[MutabilitySettings, string, boolean]>([
    [s('MUTABLE'), 'latest', false],
    [s('IMMUTABLE'), 'latest', true],
    [s('IMMUTABLE_WITH_EXCLUSION', ['latest']), 'latest', false],
    [s('IMMUTABLE_WITH_EXCLUSION', ['latest']), 'abc1234', true],
    [s('MUTABLE_WITH_EXCLUSION', ['content-*']), 'content-1', true],
    [s('MUTABLE_WITH_EXCLUSION', ['content-*']), 'latest', false],
  ])('%j: %s immutable = %s', (settings, tag, expected) => expect(isImmutable(tag, settings)).toBe(expected));
});

describe('mutabilityProblem', () => {
  test.each<[MutabilitySettings, string | undefined]>([
    [{ mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest'] }, undefined],
    [{ mutability: 'IMMUTABLE', exclusionFilters: [] }, undefined],
    [
      { mutability: 'IMMUTABLE', exclusionFilters: ['latest'] },
      'imageTagMutabilityExclusionFilters need imageTagMutability IMMUTABLE_WITH_EXCLUSION (it is IMMUTABLE).',
    ],
    [
      { mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: [] },
      'imageTagMutability IMMUTABLE_WITH_EXCLUSION needs 1 to 5 imageTagMutabilityExclusionFilters (e.g. ["latest"]), got 0.',
    ],
    [
      { mutability: 'MUTABLE_WITH_EXCLUSION', exclusionFilters: ['a b'] },
      'Exclusion filter "a b" is not 1-128 characters of letters, digits, . _ - and the wildcard *.',
    ],
  ])('%j → %s', (settings, expected) => expect(mutabilityProblem(settings)).toBe(expected));
});
