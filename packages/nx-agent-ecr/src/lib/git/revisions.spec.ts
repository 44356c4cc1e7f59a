// How another commit relates to this checkout's, from git's own answers (exit codes of rev-parse and merge-base).
import type { ProcessRunner, RunResult } from '../process';
import { headCommit, relationTo } from './revisions';

const ours = 'a'.repeat(40);
const theirs = 'b'.repeat(40);

/** git answering by command line: exit code and output per `args.join(' ')`; anything else exits 1. */
function git(answers: Record<string, [number, string?]>): ProcessRunner {
  return async (_file, args) => {
    const [exitCode, stdout = ''] = answers[args.join(' ')] ?? [1];
    return { command: '', exitCode, stdout, stderr: '', canceled: false, durationMs: 1 } satisfies RunResult;
  };
}

const resolves = { [`rev-parse --verify --quiet ${theirs}^{commit}`]: [0, theirs] as [number, string] };

describe('relationTo', () => {
  test.each<[string, Record<string, [number, string?]>, string]>([
    ['not in this clone', {}, 'unknown'],
    ['an ancestor of ours', { ...resolves, [`merge-base --is-ancestor ${theirs} ${ours}`]: [0] }, 'older'],
    ['a descendant of ours', { ...resolves, [`merge-base --is-ancestor ${ours} ${theirs}`]: [0] }, 'newer'],
    ['neither', resolves, 'diverged'],
  ])('%s → %s', async (_name, answers, relation) => {
    await expect(relationTo(git(answers), '/ws', ours, theirs)).resolves.toBe(relation);
  });

  it('is "same" for our own commit, and ignores text that is no commit', async () => {
    const run = git({ [`rev-parse --verify --quiet ${ours}^{commit}`]: [0, ours] });
    await expect(relationTo(run, '/ws', ours, ours)).resolves.toBe('same');
    await expect(relationTo(run, '/ws', ours, 'latest')).resolves.toBe('unknown');
  });
});

describe('headCommit', () => {
  it('is the full and short sha, or undefined outside a checkout', async () => {
    const run = git({ 'rev-parse HEAD --short HEAD': [0, `${ours}\naaaaaaa\n`] });
    await expect(headCommit(run, '/ws')).resolves.toEqual({ full: ours, short: 'aaaaaaa' });
    await expect(headCommit(git({}), '/ws')).resolves.toBeUndefined();
    // A repository without commits: rev-parse prints the text "HEAD" back and fails.
    await expect(headCommit(git({ 'rev-parse HEAD --short HEAD': [128, 'HEAD\n'] }), '/ws')).resolves.toBeUndefined();
  });
});
