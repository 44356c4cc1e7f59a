// `latest` only moves forward: never to the image of an ancestor of the commit it names now.
import { decideLatest, type HolderRevision } from './latest';

const head = 'c'.repeat(40);
const holder = (...revisions: HolderRevision[]) => ({ digest: 'sha256:theirs', revisions });

describe('decideLatest', () => {
  test.each<[string, ReturnType<typeof holder> | undefined, string | undefined, boolean]>([
    ['no latest yet', undefined, undefined, true],
    ['latest already on this image', holder({ sha: 'n', relation: 'newer', from: 'label' }), 'sha256:theirs', true],
    ['latest built from an older commit', holder({ sha: 'a'.repeat(40), relation: 'older', from: 'label' }), undefined, true],
    ['latest built from this very commit (a rebuild)', holder({ sha: head, relation: 'same', from: 'label' }), undefined, true],
    ['latest from a diverged history', holder({ sha: 'd'.repeat(40), relation: 'diverged', from: 'label' }), undefined, true],
    ['an image without a revision', holder(), undefined, true],
    ['latest built from a newer commit', holder({ sha: 'e'.repeat(40), relation: 'newer', from: 'label' }), undefined, false],
    [
      'latest tagged at a newer commit (its label older)',
      holder({ sha: 'a'.repeat(40), relation: 'older', from: 'label' }, { sha: 'f1f1f1f', relation: 'newer', from: 'tag' }),
      undefined,
      false,
    ],
    [
      'latest built from a commit this clone does not have',
      holder({ sha: 'b'.repeat(40), relation: 'unknown', from: 'label' }),
      undefined,
      false,
    ],
  ])('%s: move = %s', (_name, current, ourDigest, move) => {
    expect(decideLatest(head, ourDigest, current).move).toBe(move);
  });

  it('says why it leaves latest, with both commits', () => {
    expect(decideLatest(head, undefined, holder({ sha: 'e'.repeat(40), relation: 'newer', from: 'label' }))).toEqual({
      move: false,
      because: `it names sha256:theirs, built from eeeeeeeeeeee, newer than this checkout's cccccccccccc`,
    });
  });

  it('moves when there is no commit to compare (outside git)', () => {
    expect(decideLatest(undefined, undefined, holder({ sha: 'e'.repeat(40), relation: 'newer', from: 'label' })).move).toBe(true);
  });
});
