// Credentials first: the source named in the one-line error, and the usual fix for it.
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { stsPort } from './clients';
import { checkCredentials, describeCredentialSource } from './credentials';

describe('describeCredentialSource', () => {
  test.each([
    ['env keys', undefined, { AWS_ACCESS_KEY_ID: 'AKIA' }, /environment variables/, /AWS_ACCESS_KEY_ID/],
    [
      'a profile option (the chain skips env keys then)',
      'dev',
      { AWS_ACCESS_KEY_ID: 'AKIA' },
      /profile "dev"/,
      /aws sso login --profile dev/,
    ],
    ['AWS_PROFILE', undefined, { AWS_PROFILE: 'sso' }, /profile "sso"/, /aws sso login --profile sso/],
    ['web identity (CI OIDC)', undefined, { AWS_WEB_IDENTITY_TOKEN_FILE: '/t', AWS_ROLE_ARN: 'arn:r' }, /web identity.*arn:r/, /OIDC role/],
    ['container role', undefined, { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2' }, /container role/, /task role/],
    ['nothing set', undefined, {}, /default profile or an instance role/, /aws sso login.*AWS_ACCESS_KEY_ID.*OIDC/],
  ])('%s', (_name, profile, env, description, fix) => {
    const source = describeCredentialSource(profile, env);
    expect(source.description).toMatch(description);
    expect(source.fix).toMatch(fix);
  });
});

describe('checkCredentials', () => {
  const client = new STSClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  beforeEach(() => mock.reset());

  it('returns the caller identity from GetCallerIdentity', async () => {
    mock.on(GetCallerIdentityCommand).resolves({ Account: '123', Arn: 'arn:aws:iam::123:user/ci' });
    await expect(checkCredentials(stsPort(client), describeCredentialSource(undefined, {}))).resolves.toEqual({
      account: '123',
      arn: 'arn:aws:iam::123:user/ci',
    });
    expect(mock).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
  });

  it('turns ExpiredTokenException into one line naming the source and the fix', async () => {
    const expired = Object.assign(new Error('The security token included in the request is expired\nstack...'), {
      name: 'ExpiredTokenException',
    });
    mock.on(GetCallerIdentityCommand).rejects(expired);
    const attempt = checkCredentials(stsPort(client), describeCredentialSource('dev', {}));
    await expect(attempt).rejects.toThrow(
      'AWS credentials from profile "dev" (shared config/credentials ' +
        'files or SSO) were rejected (The security token included ' +
        'in the request is expired). Fix: run `aws sso login --profile ' +
        'dev` (SSO) or check its keys in ~/.aws/credentials.',
    );
    await expect(attempt).rejects.toThrow(/^[^\n]+$/);
  });

  it('says how to set a region when none is configured', async () => {
    mock.on(GetCallerIdentityCommand).rejects(new Error('Region is missing'));
    await expect(checkCredentials(stsPort(client), describeCredentialSource(undefined, {}))).rejects.toThrow(
      /No AWS region: pass --region, set AWS_REGION/,
    );
  });
});
