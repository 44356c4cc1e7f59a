import { randomBytes } from 'node:crypto';
import { checkAuthorization, issueToken, type TokenKeys } from './auth';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('registry credentials', () => {
  const now = 1_700_000_000_000;
  const keys = (generation = 0): TokenKeys => ({ key: Buffer.alloc(32, 7), generation });

  it('issues base64("AWS:<password>") that expires after the lifetime', () => {
    const token = issueToken(keys(), 60, now);
    expect(Buffer.from(token.authorizationToken, 'base64').toString()).toBe(`AWS:${token.password}`);
    expect(token.expiresAt).toBe(now + 60_000);
    expect(token.password).toMatch(/^[A-Za-z0-9_-]{64,}$/);
  });

  it.each([
    ['no header', undefined, 'missing'],
    ['a bearer token', 'Bearer abc', 'invalid'],
    ['another user', 'other', 'invalid'],
    ['an unknown password', 'wrong', 'invalid'],
    ['a password signed with another key', 'foreign', 'invalid'],
    ['a tampered password', 'tampered', 'invalid'],
  ])('refuses %s', (_case, header, decision) => {
    const token = issueToken(keys(), 60, now);
    const foreign = issueToken({ key: randomBytes(32), generation: 0 }, 60, now);
    const tampered = Buffer.from(token.password, 'base64url');
    tampered.writeDoubleBE(now + 9e9, 5);
    const value =
      header === 'other'
        ? basic('someone', token.password)
        : header === 'wrong'
          ? basic('AWS', 'nope')
          : header === 'foreign'
            ? basic('AWS', foreign.password)
            : header === 'tampered'
              ? basic('AWS', tampered.toString('base64url'))
              : header;
    expect(checkAuthorization(keys(), value, now)).toBe(decision);
  });

  it('accepts the password until it expires, then reports it expired (never invalid)', () => {
    const token = issueToken(keys(), 60, now);
    expect(checkAuthorization(keys(), basic('AWS', token.password), now + 59_999)).toBe('ok');
    expect(checkAuthorization(keys(), basic('AWS', token.password), now + 60_000)).toBe('expired');
    expect(checkAuthorization(keys(), basic('AWS', token.password), now + 365 * 24 * 3600_000)).toBe('expired');
  });

  it('expires every password of an older generation at once, while a password issued afterwards works', () => {
    const old = issueToken(keys(0), 3600, now);
    const fresh = issueToken(keys(1), 3600, now);
    expect(checkAuthorization(keys(1), basic('AWS', old.password), now)).toBe('expired');
    expect(checkAuthorization(keys(1), basic('AWS', fresh.password), now)).toBe('ok');
  });
});
