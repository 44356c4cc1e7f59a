// The e2e side of the one scratch-workspace helper: a temporary copy of this workspace made by
// tools/lib/scratch-workspace.mjs (which the quick start and the benchmark use too), with Nx and git in it.
// Nx runs asynchronously: local-ecr serves from this test process.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { workspaceRoot } from './toolchain';

export interface Ran {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion without blocking the event loop; a non-zero exit is data. */
export function runAsync(
  file: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<Ran> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 10 * 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Fails with the whole output when a run did not succeed, so a red test shows why. */
export function expectSuccess(ran: Ran, what: string): Ran {
  if (ran.exitCode !== 0) {
    throw new Error(`${what} exited ${ran.exitCode}\n--- stdout ---\n${ran.stdout}\n--- stderr ---\n${ran.stderr}`);
  }
  return ran;
}

export class ScratchWorkspace {
  private constructor(readonly root: string) {}

  /** Copies the git-visible files of this workspace into a new temp dir, links node_modules and commits. */
  static create(prefix: string): ScratchWorkspace {
    const parent = mkdtempSync(join(tmpdir(), `${prefix}-`));
    const root = join(parent, 'ws');
    const made = spawnSync(process.execPath, [join(workspaceRoot, 'tools', 'lib', 'scratch-workspace.mjs'), root], {
      encoding: 'utf8',
    });
    if (made.status !== 0) throw new Error(`scratch workspace failed:\n${made.stdout}\n${made.stderr}`);
    return new ScratchWorkspace(root);
  }

  /**
   * `nx <args>` in the copy, with the daemon and Nx Cloud off, on the Node.js that runs the test, and without the
   * NODE_OPTIONS jest needs (they are not a user's, and on Node 20 they silence every warning).
   */
  nx(args: readonly string[], env: Record<string, string | undefined> = {}, timeoutMs?: number): Promise<Ran> {
    const path = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;
    return runAsync(join(this.root, 'node_modules', '.bin', 'nx'), args, {
      cwd: this.root,
      env: {
        PATH: path,
        NODE_OPTIONS: undefined,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_TUI: 'false',
        CI: 'true',
        FORCE_COLOR: '0',
        NO_COLOR: '1',
        ...env,
      },
      timeoutMs,
    });
  }

  git(...args: string[]): string {
    const r = spawnSync('git', ['-c', 'commit.gpgsign=false', ...args], {
      cwd: this.root,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'e2e',
        GIT_AUTHOR_EMAIL: 'e2e@nx-agent-ecr.invalid',
        GIT_COMMITTER_NAME: 'e2e',
        GIT_COMMITTER_EMAIL: 'e2e@nx-agent-ecr.invalid',
      },
    });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
    return r.stdout.trim();
  }

  /** Commits everything and returns the short sha (the tag ecr-push adds by default). */
  commitAll(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', '--short', 'HEAD');
  }

  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  exists(rel: string): boolean {
    return existsSync(this.path(rel));
  }

  read(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }

  readJson<T>(rel: string): T {
    return JSON.parse(this.read(rel)) as T;
  }

  write(rel: string, content: string): void {
    mkdirSync(dirname(this.path(rel)), { recursive: true });
    writeFileSync(this.path(rel), content);
  }

  /** Appends a line to each file (creating it when missing): a change Nx and the content tag both see. */
  touch(files: string[], marker = 'touched by a test'): void {
    for (const file of files) {
      mkdirSync(dirname(this.path(file)), { recursive: true });
      appendFileSync(this.path(file), `\n# ${marker} ${Date.now()}\n`);
    }
  }

  /** Rewrites a JSON file through `change`. */
  editJson(rel: string, change: (json: Record<string, unknown>) => void): void {
    const json = this.readJson<Record<string, unknown>>(rel);
    change(json);
    this.write(rel, `${JSON.stringify(json, null, 2)}\n`);
  }

  /** `nx show projects --affected -t <target>` between the last two commits, sorted. */
  async affected(target: string): Promise<string[]> {
    const ran = expectSuccess(
      await this.nx(['show', 'projects', '--affected', '-t', target, '--base=HEAD~1', '--head=HEAD', '--json']),
      'nx show projects --affected',
    );
    // Nx may print a warning before the JSON (e.g. the SDK's Node.js version notice).
    const json = ran.stdout.slice(Math.max(0, ran.stdout.indexOf('[')));
    return (JSON.parse(json.trim() || '[]') as string[]).sort();
  }

  remove(): void {
    rmSync(join(this.root, '..'), { recursive: true, force: true });
  }
}
