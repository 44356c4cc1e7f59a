// Another account's role: assumed once, shared by concurrent requests, assumed again before expiry, and refused in
// one line that names the role and the trust policy — never with its secrets.
import { awsError } from './test-support';
import { roleCredentials, ROLE_SESSION_NAME, type AssumeRoleInput } from './role-credentials';

const ROLE = 'arn:aws:iam::111111111111:role/ecr-promote-source';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYROLESECRET';

function sts(expiresInMs: number, now: () => number) {
  const calls: AssumeRoleInput[] = [];
  const assume = async (input: AssumeRoleInput) => {
    calls.push(input);
    return {
      Credentials: {
        AccessKeyId: `ASIA${calls.length}`,
        SecretAccessKey: SECRET,
        SessionToken: `token-${calls.length}`,
        Expiration: new Date(now() + expiresInMs),
      },
    };
  };
  return { assume, calls };
}

describe('roleCredentials', () => {
  it('assumes the role once for concurrent requests, with the session name, an hour and the external id', async () => {
    const clock = 0;
    const s = sts(3_600_000, () => clock);
    const role = roleCredentials(s.assume, { roleArn: ROLE, externalId: 'ext-1' }, () => clock);
    const [a, b] = await Promise.all([role.provider(), role.provider()]);
    expect(a).toBe(b);
    expect(s.calls).toEqual([{ RoleArn: ROLE, RoleSessionName: ROLE_SESSION_NAME, DurationSeconds: 3600, ExternalId: 'ext-1' }]);
    expect(role.secrets()).toEqual([SECRET, 'token-1']);
  });

  it('keeps fresh credentials and assumes the role again five minutes before they expire', async () => {
    let clock = 0;
    const s = sts(3_600_000, () => clock);
    const role = roleCredentials(s.assume, { roleArn: ROLE }, () => clock);
    await role.provider();
    clock = 3_600_000 - 5 * 60_000 - 1;
    expect((await role.provider()).accessKeyId).toBe('ASIA1');
    clock += 2;
    expect((await role.provider()).accessKeyId).toBe('ASIA2');
  });

  it('a refusal names the role, its trust policy and the external id condition, in one line', async () => {
    const role = roleCredentials(
      async () => Promise.reject(awsError('AccessDenied', 'User: x is not authorized to perform: sts:AssumeRole')),
      {
        roleArn: ROLE,
        externalId: 'ext-1',
      },
    );
    await expect(role.provider()).rejects.toThrow(
      `Could not assume ${ROLE} (User: x is not authorized to perform: sts:AssumeRole): its trust policy must let this run's identity ` +
        `sts:AssumeRole with this externalId (sts:ExternalId condition), and this identity needs sts:AssumeRole on that ARN.`,
    );
    expect(role.secrets()).toEqual([]);
  });

  it('STS answering without credentials is an error, not an unsigned request', async () => {
    const role = roleCredentials(async () => ({}), { roleArn: ROLE });
    await expect(role.provider()).rejects.toThrow(`STS AssumeRole of ${ROLE} answered no credentials.`);
  });
});
