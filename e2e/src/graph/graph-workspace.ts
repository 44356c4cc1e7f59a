// A throwaway git copy of this workspace for graph tests: change files, commit, ask Nx what is affected.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { workspaceRoot } from '../support/toolchain';

function run(file: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const result = spawnSync(file, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...env },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${file} ${args.join(' ')} exited ${result.status} in ${cwd}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

export class GraphWorkspace {
  private constructor(readonly root: string) {}

  /** Copies the files git sees (tracked and untracked, not ignored), links node_modules, and commits them. */
  static create(): GraphWorkspace {
    const root = join(mkdtempSync(join(tmpdir(), 'nx-agent-ecr-graph-')), 'ws');
    const listed = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], workspaceRoot);
    for (const file of listed.split('\0').filter((f) => f !== '')) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      try {
        cpSync(join(workspaceRoot, file), join(root, file));
      } catch (error) {
        // A file deleted in the working tree but still in the index is simply not copied.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    symlinkSync(join(workspaceRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
    const workspace = new GraphWorkspace(root);
    workspace.git('init', '-q', '-b', 'main');
    workspace.commit('copy of the workspace');
    return workspace;
  }

  git(...args: string[]): string {
    return run('git', ['-c', 'user.name=graph-test', '-c', 'user.email=graph-test@example.invalid', '-c', 'commit.gpgsign=false', ...args], this.root);
  }

  commit(message: string): void {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
  }

  nx(...args: string[]): string {
    return run(process.execPath, [join(workspaceRoot, 'node_modules', '.bin', 'nx'), ...args], this.root);
  }

  /** Appends a line to each file (creating it when missing), commits, and returns the sorted affected projects. */
  touchAndCommit(files: string[], target: string): string[] {
    for (const file of files) {
      mkdirSync(dirname(join(this.root, file)), { recursive: true });
      appendFileSync(join(this.root, file), `\n# touched by the graph test ${Date.now()}\n`);
    }
    this.commit(`touch ${files.join(' ')}`);
    return this.affected(target);
  }

  /** Rewrites a JSON file through `change`, commits, and returns the sorted affected projects. */
  editJsonAndCommit(file: string, change: (json: Record<string, unknown>) => void, target: string): string[] {
    const json = JSON.parse(readFileSync(join(this.root, file), 'utf8')) as Record<string, unknown>;
    change(json);
    writeFileSync(join(this.root, file), `${JSON.stringify(json, null, 2)}\n`);
    this.commit(`edit ${file}`);
    return this.affected(target);
  }

  affected(target: string): string[] {
    const out = this.nx('show', 'projects', '--affected', '-t', target, '--base=HEAD~1', '--head=HEAD', '--json');
    return (JSON.parse(out.trim() || '[]') as string[]).sort();
  }

  remove(): void {
    rmSync(dirname(this.root), { recursive: true, force: true });
  }
}
