import { lifecyclePolicyProblem } from './lifecycle-policy';

const rule = (overrides: Record<string, unknown> = {}) => ({
  rulePriority: 1,
  selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 3 },
  action: { type: 'expire' },
  ...overrides,
});

describe('lifecyclePolicyProblem', () => {
  it('accepts a policy of ECR shape', () => {
    expect(lifecyclePolicyProblem(JSON.stringify({ rules: [rule()] }))).toBeUndefined();
  });

  test.each([
    ['not JSON', '{', /not valid JSON/],
    ['no rules', '{}', /rules/],
    ['a duplicate priority', JSON.stringify({ rules: [rule(), rule()] }), /used by more than one rule/],
    [
      'an unknown tag status',
      JSON.stringify({ rules: [rule({ selection: { tagStatus: 'x', countType: 'imageCountMoreThan', countNumber: 1 } })] }),
      /tagStatus/,
    ],
    ['another action', JSON.stringify({ rules: [rule({ action: { type: 'archive' } })] }), /action.type/],
  ])('refuses %s', (_case, text, problem) => {
    expect(lifecyclePolicyProblem(text)).toMatch(problem);
  });
});
