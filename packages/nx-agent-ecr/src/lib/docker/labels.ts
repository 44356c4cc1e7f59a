// The OCI labels every image gets unless the user overrides them: source, revision, created, title.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CommandNotFoundError, type ProcessRunner } from '../process';

/** `knownRevision`: the checkout's commit when the caller knows it already (one git process fewer). */
export async function defaultLabels(
  run: ProcessRunner,
  workspaceRoot: string,
  title: string,
  now: Date,
  knownRevision?: string,
): Promise<Record<string, string>> {
  const labels: Record<string, string> = {};
  const [remote, revision] = await Promise.all([
    git(run, workspaceRoot, ['config', '--get', 'remote.origin.url']),
    knownRevision ?? git(run, workspaceRoot, ['rev-parse', 'HEAD']),
  ]);
  const source = publicUrl(remote) ?? (await packageRepository(workspaceRoot));
  if (source) labels['org.opencontainers.image.source'] = source;
  if (revision) labels['org.opencontainers.image.revision'] = revision;
  labels['org.opencontainers.image.created'] = now.toISOString();
  labels['org.opencontainers.image.title'] = title;
  return labels;
}

// Outside a git checkout (or without git) the labels are simply left out: they are informative, not required.
async function git(run: ProcessRunner, cwd: string, args: string[]): Promise<string | undefined> {
  try {
    const result = await run('git', args, { cwd });
    return result.exitCode === 0 && result.stdout.trim() !== '' ? result.stdout.trim() : undefined;
  } catch (error) {
    if (error instanceof CommandNotFoundError) return undefined;
    throw error;
  }
}

async function packageRepository(workspaceRoot: string): Promise<string | undefined> {
  try {
    const pkg = JSON.parse(await readFile(join(workspaceRoot, 'package.json'), 'utf8')) as { repository?: string | { url?: string } };
    return publicUrl(typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url);
  } catch {
    return undefined;
  }
}

/**
 * A browsable URL without credentials: `git@host:o/r.git` → `https://host/o/r`; `https://user:token@host/o/r.git`
 * → `https://host/o/r`; a query or fragment (`?access_token=…`) is dropped. A token in a remote URL must never end up
 * in an image label.
 */
export function publicUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const scp = url.match(/^[\w.-]+@([^:/]+):(.+)$/);
  let candidate = scp ? `https://${scp[1]}/${scp[2]}` : url.replace(/^git\+/, '').replace(/^(ssh|git):\/\//, 'https://');
  try {
    const parsed = new URL(candidate);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    candidate = parsed.toString();
  } catch {
    return undefined;
  }
  return candidate.replace(/\.git$/, '').replace(/\/$/, '');
}
