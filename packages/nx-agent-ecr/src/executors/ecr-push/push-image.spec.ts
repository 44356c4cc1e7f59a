// Which docker push failures are worth another attempt, and how long to wait.
import { backoffMs, isTransientPushError, pushArgs, tagArgs } from './push-image';

describe('isTransientPushError', () => {
  test.each([
    ['read tcp 10.0.0.1:443: connection reset by peer', true],
    ['dial tcp: i/o timeout', true],
    ['net/http: TLS handshake timeout', true],
    ['received unexpected HTTP status: 503 Service Unavailable', true],
    ['received unexpected HTTP status: 500 Internal Server Error', true],
    ['Patch "https://x/v2/r/blobs/uploads/u": EOF', true],
    ['denied: requested access to the resource is denied', false],
    ['name unknown: The repository with name x does not exist', false],
    ['tag invalid: The image tag already exists and cannot be overwritten', false],
  ])('%s → %s', (output, expected) => {
    expect(isTransientPushError(output)).toBe(expected);
  });
});

describe('argv', () => {
  test.each([
    [1, 2000, 2000],
    [2, 2000, 4000],
    [3, 2000, 8000],
  ])('backoff after attempt %i with base %i is %i ms', (attempt, base, expected) => {
    expect(backoffMs(attempt, base)).toBe(expected);
  });

  it('tags and pushes with argument arrays (no shell)', () => {
    expect(tagArgs('agent:content-1', 'h/r:content-1')).toEqual(['tag', 'agent:content-1', 'h/r:content-1']);
    expect(pushArgs('h/r:content-1')).toEqual(['push', 'h/r:content-1']);
  });
});
