import { asInput, page, requiredString } from './input';

describe('ECR request input', () => {
  it('pages with maxResults and an opaque nextToken', () => {
    const items = [1, 2, 3, 4, 5];
    const first = page(items, { maxResults: 2 });
    expect(first.items).toEqual([1, 2]);
    const second = page(items, { maxResults: 2, nextToken: first.nextToken });
    expect(second.items).toEqual([3, 4]);
    expect(page(items, { maxResults: 2, nextToken: second.nextToken })).toEqual({ items: [5] });
  });

  it('raises InvalidParameterException for a missing required member and a body that is not JSON', () => {
    expect(() => requiredString({}, 'repositoryName')).toThrow(expect.objectContaining({ type: 'InvalidParameterException' }));
    expect(() => asInput('{')).toThrow(expect.objectContaining({ type: 'InvalidParameterException' }));
  });

  it('refuses maxResults outside 1..1000', () => {
    expect(() => page([], { maxResults: 0 })).toThrow(/between 1 and 1000/);
  });
});
