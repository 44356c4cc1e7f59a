// promoteFrom, string or object: which repository a promotion copies from, and in which account and region.
import type { Naming } from './naming';
import { resolvePromoteSource, type PromoteFromSpec } from './promote-source';

const prod: Naming = { projectName: 'shop', environment: 'prod', service: 'agent', repositoryName: 'shop-prod-agent' };
const PUSH = { region: 'eu-west-1', profile: 'ci', maxAttempts: 6 };
const ROLE = 'arn:aws:iam::111111111111:role/ecr-promote-source';
const resolve = (promoteFrom?: string | PromoteFromSpec, extra: { promoteFromRepository?: string } = {}) =>
  resolvePromoteSource(prod, { promoteFrom, ...extra }, PUSH);

describe('resolvePromoteSource', () => {
  test.each<[string, string | PromoteFromSpec | undefined, ReturnType<typeof resolve>]>([
    ['default: dev of this account and region', undefined, { repositoryName: 'shop-dev-agent' }],
    ['an environment name', 'staging', { repositoryName: 'shop-staging-agent' }],
    ['"" turns promotion off', '', undefined],
    [
      'an object without account, region, role or profile stays in this registry',
      { environment: 'staging' },
      { repositoryName: 'shop-staging-agent' },
    ],
    [
      'another account by its registry host: account, region and registry id from it, role assumed',
      { registry: '111111111111.dkr.ecr.us-east-1.amazonaws.com', roleArn: ROLE },
      {
        repositoryName: 'shop-dev-agent',
        remote: {
          target: { region: 'us-east-1', profile: 'ci', maxAttempts: 6, roleArn: ROLE },
          registryId: '111111111111',
          label: `account 111111111111, region us-east-1, role ${ROLE}`,
        },
      },
    ],
    [
      'another region of this account keeps the push profile and needs no registry id',
      { region: 'us-west-2', environment: 'prod' },
      {
        repositoryName: 'shop-prod-agent',
        remote: { target: { region: 'us-west-2', profile: 'ci', maxAttempts: 6 }, label: 'region us-west-2' },
      },
    ],
    [
      'a source profile (which may assume a role itself) and an endpoint',
      { account: '111111111111', profile: 'dev', endpoint: 'http://127.0.0.1:5101', repository: 'team/agent' },
      {
        repositoryName: 'team/agent',
        remote: {
          target: { region: 'eu-west-1', profile: 'dev', maxAttempts: 6, endpoint: 'http://127.0.0.1:5101' },
          registryId: '111111111111',
          label: 'account 111111111111, profile dev',
        },
      },
    ],
  ])('%s', (_name, promoteFrom, expected) => expect(resolve(promoteFrom)).toEqual(expected));

  it('promoteFromRepository names the source repository in any account', () => {
    expect(resolve({ account: '111111111111', roleArn: ROLE }, { promoteFromRepository: 'legacy/agent' })?.repositoryName).toBe(
      'legacy/agent',
    );
  });

  test.each<[PromoteFromSpec, RegExp]>([
    [{ registry: 'ghcr.io' }, /promoteFrom\.registry "ghcr\.io" is not an ECR registry host/],
    [
      { registry: '111111111111.dkr.ecr.us-east-1.amazonaws.com', account: '222222222222' },
      /account 222222222222 is not the account of registry/,
    ],
    [{ registry: '111111111111.dkr.ecr.us-east-1.amazonaws.com', region: 'eu-west-1' }, /region eu-west-1 is not the region of registry/],
    [{ account: '111111111111', roleArn: 'arn:aws:iam::111111111111:user/me' }, /roleArn .* is not an IAM role ARN/],
    [{ account: '111111111111', externalId: 'x' }, /externalId needs promoteFrom\.roleArn/],
    [{ account: '111111111111', endpoint: 'localhost:5100' }, /endpoint "localhost:5100" is not an http\(s\) URL/],
  ])('refuses %j in one line', (spec, message) => expect(() => resolve(spec)).toThrow(message));
});
