import { combine, FaultBook, parseFaultSpec } from './faults';

const OPERATIONS = new Set(['PutImage', 'DescribeImages', 'GetCallerIdentity', 'registry:PutManifest', 'registry:UploadLayerPart']);

describe('fault hooks', () => {
  const firings = (book: FaultBook, calls: number, operation = 'PutImage', repository?: string) =>
    Array.from({ length: calls }, () => book.onCall(operation, repository).length > 0);

  it('fires a nth fault on exactly that call of its operation, counting from when it was added', () => {
    const book = new FaultBook(OPERATIONS);
    book.onCall('PutImage');
    book.add({ operation: 'PutImage', nth: 2, error: 'ServerException' });
    expect(firings(book, 4)).toEqual([false, true, false, false]);
    expect(book.list()[0]).toMatchObject({ id: 'f1', calls: 4, fired: 1 });
  });

  it('fires an every-K fault on every Kth call (every: 2 is 50 %), up to times', () => {
    const book = new FaultBook(OPERATIONS);
    book.add({ operation: 'PutImage', every: 2, times: 2, error: 'ThrottlingException' });
    expect(firings(book, 8)).toEqual([false, true, false, true, false, false, false, false]);
  });

  it('fires on every call of its operation and repository only, until removed', () => {
    const book = new FaultBook(OPERATIONS);
    const { id } = book.add({ operation: 'DescribeImages', repository: 'team/app', blackHole: true });
    expect(firings(book, 2, 'DescribeImages', 'team/app')).toEqual([true, true]);
    expect(firings(book, 1, 'DescribeImages', 'other')).toEqual([false]);
    expect(firings(book, 1, 'PutImage', 'team/app')).toEqual([false]);
    book.remove(id);
    expect(firings(book, 1, 'DescribeImages', 'team/app')).toEqual([false]);
  });

  it('combines the faults that fire on one call: delays add up, the first error wins', () => {
    const book = new FaultBook(OPERATIONS);
    book.add({ operation: 'registry:PutManifest', delayMs: 100, hideTagMs: 500 });
    book.add({ operation: 'registry:PutManifest', delayMs: 50, error: 'ThrottlingException', message: 'slow down' });
    book.add({ operation: 'registry:PutManifest', error: 'ServerException' });
    expect(combine(book.onCall('registry:PutManifest'))).toEqual({
      error: { code: 'ThrottlingException', message: 'slow down' },
      delayMs: 150,
      blackHole: false,
      hideTagMs: 500,
      crashAfterStore: false,
    });
  });

  test.each([
    [{ operation: 'Nope', error: 'ServerException' }, /fault operation "Nope" is unknown; use one of PutImage, /],
    [{ operation: 'PutImage' }, /a fault needs an effect/],
    [{ operation: 'PutImage', nth: 0, error: 'X' }, /fault nth must be a whole number >= 1, got 0/],
    [{ operation: 'PutImage', nth: 1, every: 2, error: 'X' }, /nth or every, not both/],
    [{ operation: 'PutImage', error: 'not a code!' }, /fault error must be a name like ThrottlingException/],
    [
      { operation: 'DescribeImages', hideTagMs: 10 },
      /hideTagMs and crashAfterStore apply to PutImage and registry:PutManifest, not DescribeImages/,
    ],
    [{ operation: 'PutImage', resetAfterBytes: 10 }, /resetAfterBytes applies to registry:UploadLayerPart/],
    [{ operation: 'PutImage', error: 'X', retries: 3 }, /fault field 'retries' is unknown/],
    ['PutImage', /must be a JSON object/],
  ])('refuses %j in one line', (spec, message) => {
    expect(() => parseFaultSpec(spec, OPERATIONS)).toThrow(message);
  });
});
