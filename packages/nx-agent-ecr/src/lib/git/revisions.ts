// Git facts a delivery needs, asked through the process runner: the checkout's commit, and how another commit
// (the one an image in ECR was built from) relates to it by ancestry.
import type { ProcessRunner } from '../process';

export interface HeadCommit {
  full: string;
  short: string;
}

/** How `theirs` relates to `ours`: older = an ancestor of ours; newer = ours is its ancestor; unknown = not in this clone. */
export type Relation = 'same' | 'older' | 'newer' | 'diverged' | 'unknown';

const HEX_COMMIT = /^[0-9a-f]{7,40}$/;

export const looksLikeCommit = (text: string) => HEX_COMMIT.test(text);

async function git(run: ProcessRunner, cwd: string, args: string[]): Promise<{ exitCode: number; stdout: string } | undefined> {
  return run('git', args, { cwd }).catch(() => undefined);
}

/** HEAD's full and short sha, or undefined outside a git checkout (or without git). */
export async function headCommit(run: ProcessRunner, cwd: string): Promise<HeadCommit | undefined> {
  // One git process: rev-parse prints HEAD in full, then (after --short) abbreviated as git abbreviates it here.
  const result = await git(run, cwd, ['rev-parse', 'HEAD', '--short', 'HEAD']);
  const [full, short] = result?.exitCode === 0 ? result.stdout.split('\n').map((line) => line.trim()) : [];
  return full && short && looksLikeCommit(full) && looksLikeCommit(short) ? { full, short } : undefined;
}

/** The full sha `ref` names in this clone, or undefined when the clone does not have it. */
export async function resolveCommit(run: ProcessRunner, cwd: string, ref: string): Promise<string | undefined> {
  if (!looksLikeCommit(ref)) return undefined;
  const result = await git(run, cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return result?.exitCode === 0 && result.stdout.trim() ? result.stdout.trim() : undefined;
}

async function isAncestor(run: ProcessRunner, cwd: string, ancestor: string, of: string): Promise<boolean> {
  return (await git(run, cwd, ['merge-base', '--is-ancestor', ancestor, of]))?.exitCode === 0;
}

export async function relationTo(run: ProcessRunner, cwd: string, ours: string, theirs: string): Promise<Relation> {
  const resolved = await resolveCommit(run, cwd, theirs);
  if (!resolved) return 'unknown';
  if (resolved === ours) return 'same';
  if (await isAncestor(run, cwd, resolved, ours)) return 'older';
  if (await isAncestor(run, cwd, ours, resolved)) return 'newer';
  return 'diverged';
}
