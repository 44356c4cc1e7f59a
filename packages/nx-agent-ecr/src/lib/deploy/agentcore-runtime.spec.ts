// AgentCore runtime names and configuration comparison, purely.
import { contains, runtimeNameFor } from './agentcore-runtime';

describe('runtimeNameFor', () => {
  test.each([
    ['aws-agent-core', 'aws_agent_core'],
    ['shop-dev-triage-v2', 'shop_dev_triage_v2'],
    ['Already_Fine', 'Already_Fine'],
    [`a${'-b'.repeat(23)}`, `a${'_b'.repeat(23)}`],
  ])('maps %s to %s (hyphens to underscores, nothing else)', (name, mapped) => {
    expect(runtimeNameFor(name, 'test')).toBe(mapped);
  });

  test.each([
    ['agent.v2', /"\." is not allowed/],
    ['9agent', /must start with a letter/],
    ['-agent', /must start with a letter/],
    [`a${'b'.repeat(48)}`, /it is 49 characters long, at most 48/],
    ['agent/x y', /"\/ " is not allowed/],
  ])('refuses %s in one line', (name, why) => {
    expect(() => runtimeNameFor(name, 'the option')).toThrow(why);
    expect(() => runtimeNameFor(name, 'the option')).toThrow(
      /^Runtime name .* \(the option\) cannot be an AgentCore runtime name: .* Set runtimeName\.$/,
    );
  });
});

describe('contains', () => {
  test.each([
    ['equal values', { a: 1 }, { a: 1 }, true],
    ['defaults AgentCore adds', { networkMode: 'PUBLIC', extra: { x: 1 } }, { networkMode: 'PUBLIC' }, true],
    ['a different value', { networkMode: 'VPC' }, { networkMode: 'PUBLIC' }, false],
    ['lists of another length', { subnets: ['a', 'b'] }, { subnets: ['a'] }, false],
    ['a missing key', {}, { protocol: 'HTTP' }, false],
  ])('%s', (_name, actual, wanted, result) => {
    expect(contains(actual, wanted)).toBe(result);
  });
});
