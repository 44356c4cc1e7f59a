// Small synchronous Docker CLI helpers for assertions in the real-engine suites.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';

export interface Completed {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and returns its output; never throws on a non-zero exit. */
export function sh(file: string, args: string[], options: SpawnSyncOptions = {}): Completed {
  const r = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** Like sh, but throws with the command's output when it fails. */
export function must(file: string, args: string[], options: SpawnSyncOptions = {}): string {
  const r = sh(file, args, options);
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export const docker = (...args: string[]) => must('docker', args);
