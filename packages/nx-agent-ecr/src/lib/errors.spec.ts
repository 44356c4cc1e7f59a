// One-line user errors and the redaction guard every error message passes through.
import { oneLine, redact, UserError } from './errors';

describe('UserError', () => {
  it('is an Error named UserError whose message is what the user sees', () => {
    const error = new UserError('Repository x cannot be described.');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('UserError');
    expect(error.message).toBe('Repository x cannot be described.');
  });
});

describe('oneLine', () => {
  test.each<[string, unknown, string]>([
    ['the first non-blank line of an error message', new Error('\n  first line  \nsecond\n    at stack'), 'first line'],
    ['a single-line message unchanged', new Error('boom'), 'boom'],
    ['a thrown string', 'plain text\nmore', 'plain text'],
    ['a thrown non-error value', 42, '42'],
    ['a blank message as it is', new Error(''), ''],
  ])('%s', (_name, thrown, expected) => {
    expect(oneLine(thrown)).toBe(expected);
  });
});

describe('redact', () => {
  const token = 'QVdTOnNlY3JldC1wYXNzd29yZA==';
  it('replaces every occurrence of every secret with ***', () => {
    expect(redact(`auth ${token} and again ${token}; key wJalrXUtnFEMI`, [token, 'wJalrXUtnFEMI'])).toBe('auth *** and again ***; key ***');
  });

  it('skips undefined secrets and ones too short to be secrets (so "a" does not blank every a)', () => {
    expect(redact('a session of 1234567', [undefined, 'a', '1234567'])).toBe('a session of 1234567');
  });

  it('redacts a secret of exactly eight characters', () => {
    expect(redact('pw=12345678', ['12345678'])).toBe('pw=***');
  });

  it('leaves text without secrets unchanged', () => {
    expect(redact('nothing to hide', [token])).toBe('nothing to hide');
  });
});
