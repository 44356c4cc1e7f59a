// Two accounts on one machine: AssumeRole's keys name their role on every instance, and an account admits only the
// keys of the roles it was told to accept.
import { AccessBook, AccessSettingError, parseRoleArn, roleKeyId, signingKeyId } from './access';
import { handleStsCall } from './sts';

const ROLE = 'arn:aws:iam::111111111111:role/ecr-promote-source';

describe('access', () => {
  it('derives the same access key id for a role on every instance, and another for another role', () => {
    expect(roleKeyId(ROLE)).toMatch(/^ASIA[0-9A-F]{16}$/);
    expect(roleKeyId(ROLE)).toBe(roleKeyId(ROLE));
    expect(roleKeyId('arn:aws:iam::111111111111:role/other')).not.toBe(roleKeyId(ROLE));
  });

  test.each<[string, { account: string; name: string } | undefined]>([
    [ROLE, { account: '111111111111', name: 'ecr-promote-source' }],
    ['arn:aws:iam::111111111111:role/path/to/r', { account: '111111111111', name: 'r' }],
    ['arn:aws:iam::1111:role/r', undefined],
    ['arn:aws:iam::111111111111:user/r', undefined],
  ])('parseRoleArn(%s)', (arn, parsed) => expect(parseRoleArn(arn)).toEqual(parsed));

  it('reads the signing key from a SigV4 Authorization header', () => {
    const header = 'AWS4-HMAC-SHA256 Credential=ASIAABC/20260101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=x';
    expect(signingKeyId(header)).toBe('ASIAABC');
    expect(signingKeyId(undefined)).toBeUndefined();
  });

  it('admits everyone by default, then only the keys of the allowed roles, then everyone again', () => {
    const book = new AccessBook();
    expect(book.admits('AKIAANYONE')).toBe(true);
    book.allowRoles([ROLE]);
    expect(book.admits(roleKeyId(ROLE))).toBe(true);
    expect(book.admits('AKIAANYONE')).toBe(false);
    expect(book.admits(undefined)).toBe(false);
    book.allowRoles([]);
    expect(book.admits('AKIAANYONE')).toBe(true);
  });

  it('refuses an access setting that is not a list of role ARNs', () => {
    expect(() => new AccessBook().allowRoles(['arn:aws:iam::1:user/x'])).toThrow(AccessSettingError);
    expect(() => new AccessBook().allowRoles('x')).toThrow(/allowRoles/);
  });
});

describe('STS', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams({ Version: '2011-06-15', ...fields });

  it('AssumeRole answers the role key, fresh secrets and the expiry; GetCallerIdentity with that key names the assumed role', () => {
    const access = new AccessBook();
    const assumed = handleStsCall(form({ Action: 'AssumeRole', RoleArn: ROLE, RoleSessionName: 'promote', DurationSeconds: '900' }), {
      accountId: '222222222222',
      access,
      now: 0,
    });
    expect(assumed.status).toBe(200);
    expect(assumed.body).toContain(`<AccessKeyId>${roleKeyId(ROLE)}</AccessKeyId>`);
    expect(assumed.body).toContain('<Expiration>1970-01-01T00:15:00.000Z</Expiration>');
    expect(assumed.body).toContain('<Arn>arn:aws:sts::111111111111:assumed-role/ecr-promote-source/promote</Arn>');
    const [issued] = access.issuedList();
    expect(assumed.body).toContain(`<SecretAccessKey>${issued?.secretAccessKey}</SecretAccessKey>`);
    const me = handleStsCall(form({ Action: 'GetCallerIdentity' }), {
      accountId: '222222222222',
      access,
      accessKeyId: roleKeyId(ROLE),
      now: 1,
    });
    expect(me.body).toContain('<Account>111111111111</Account>');
    expect(me.body).toContain('assumed-role/ecr-promote-source/promote');
    const other = handleStsCall(form({ Action: 'GetCallerIdentity' }), { accountId: '222222222222', access, accessKeyId: 'local', now: 1 });
    expect(other.body).toContain('<Account>222222222222</Account>');
  });

  test.each<[Record<string, string>, RegExp]>([
    [{ RoleArn: 'nope', RoleSessionName: 'ab' }, /RoleArn .+nope.+ is not a role ARN/],
    [{ RoleArn: ROLE, RoleSessionName: 'a' }, /RoleSessionName .+a.+ must be 2-64/],
    [{ RoleArn: ROLE, RoleSessionName: 'ab', DurationSeconds: '60' }, /DurationSeconds must be 900-43200/],
  ])('AssumeRole refuses %j with a ValidationError', (fields, message) => {
    const answer = handleStsCall(form({ Action: 'AssumeRole', ...fields }), { accountId: '1', access: new AccessBook(), now: 0 });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>ValidationError</Code>');
    expect(answer.body).toMatch(message);
  });
});
