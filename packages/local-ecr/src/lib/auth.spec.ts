import { checkAuthorization, expireAllTokens, issueToken } from './auth';
import { emptyState } from './state';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('registry credentials', () => {
  const now = 1_700_000_000_000;

  it('issues base64("AWS:<password>") that expires after the lifetime, and stores only a hash of the password', () => {
    const state = emptyState();
    const token = issueToken(state, 60, now);
    expect(Buffer.from(token.authorizationToken, 'base64').toString()).toBe(`AWS:${token.password}`);
    expect(token.expiresAt).toBe(now + 60_000);
    expect(JSON.stringify(state)).not.toContain(token.password);
  });

  it.each([
    ['no header', undefined, 'missing'],
    ['a bearer token', 'Bearer abc', 'invalid'],
    ['another user', 'other', 'invalid'],
    ['an unknown password', 'wrong', 'invalid'],
  ])('refuses %s', (_case, header, decision) => {
    const state = emptyState();
    const token = issueToken(state, 60, now);
    const value = header === 'other' ? basic('someone', token.password) : header === 'wrong' ? basic('AWS', 'nope') : header;
    expect(checkAuthorization(state, value, now)).toBe(decision);
  });

  it('accepts the password until it expires, then reports it expired', () => {
    const state = emptyState();
    const token = issueToken(state, 60, now);
    expect(checkAuthorization(state, basic('AWS', token.password), now + 59_999)).toBe('ok');
    expect(checkAuthorization(state, basic('AWS', token.password), now + 60_000)).toBe('expired');
  });

  it('expires every password at once with expireAllTokens, while a password issued afterwards works', () => {
    const state = emptyState();
    const old = issueToken(state, 3600, now);
    expireAllTokens(state, now);
    const fresh = issueToken(state, 3600, now);
    expect(checkAuthorization(state, basic('AWS', old.password), now)).toBe('expired');
    expect(checkAuthorization(state, basic('AWS', fresh.password), now)).toBe('ok');
  });

  it('forgets passwords a day after they expired, when it issues a new one', () => {
    const state = emptyState();
    const old = issueToken(state, 1, now);
    issueToken(state, 1, now + 5_000);
    expect(checkAuthorization(state, basic('AWS', old.password), now + 5_000)).toBe('expired');
    issueToken(state, 1, now + 25 * 3600_000);
    expect(Object.keys(state.tokens)).toHaveLength(1);
    expect(checkAuthorization(state, basic('AWS', old.password), now + 25 * 3600_000)).toBe('invalid');
  });
});
