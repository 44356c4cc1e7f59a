// Tags move in an order where a failure part-way never leaves `latest` without its git-sha tag.
import { deliveryOrder } from './tags';

describe('deliveryOrder', () => {
  test.each<[string, string[], string | undefined, string[]]>([
    ['the default tags', ['content-1', 'latest', 'abc1234'], 'abc1234', ['content-1', 'abc1234', 'latest']],
    [
      'other moving tags before latest, sha-derived tags first',
      ['content-1', 'latest', 'dev', 'v1', 'dev-abc1234'],
      'abc1234',
      ['content-1', 'dev-abc1234', 'dev', 'v1', 'latest'],
    ],
    ['no git sha', ['content-1', 'latest', 'stable'], undefined, ['content-1', 'stable', 'latest']],
    ['duplicates once', ['content-1', 'latest', 'latest'], undefined, ['content-1', 'latest']],
  ])('%s', (_name, tags, gitSha, expected) => expect(deliveryOrder(tags, 'content-1', gitSha)).toEqual(expected));
});
