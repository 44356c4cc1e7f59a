// The exclusive lock of a state directory: flock(2) on <stateDir>/local-ecr.lock, held for the life of the process
// that serves it. The kernel drops it when that process ends, however it ends, so a stale lock cannot exist.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'local-ecr.lock';
const FLOCK = '/usr/bin/flock';

export interface StateLock {
  release(): void;
}

/**
 * Takes the lock without waiting; undefined when another process holds it. Node has no flock(), so flock(1) takes
 * it on a descriptor this process shares with it: the lock belongs to the open file description, which stays open
 * here after flock(1) exits (Node opens it close-on-exec, so the inner registry does not inherit it).
 */
export function tryLockStateDir(stateDir: string): StateLock | undefined {
  const fd = openSync(join(stateDir, LOCK_FILE), 'a', 0o600);
  const result = spawnSync(FLOCK, ['--nonblock', '--exclusive', '3'], { stdio: ['ignore', 'ignore', 'pipe', fd] });
  if (result.error) {
    closeSync(fd);
    throw new Error(`local-ecr needs ${FLOCK} (util-linux) to lock its state directory: ${result.error.message}`);
  }
  if (result.status !== 0) {
    closeSync(fd);
    return undefined;
  }
  let held = true;
  return {
    release: () => {
      if (held) closeSync(fd);
      held = false;
    },
  };
}

/** Whether a process holds the lock of a state directory right now (probes without keeping it). */
export function stateDirLocked(stateDir: string): boolean {
  const lock = tryLockStateDir(stateDir);
  lock?.release();
  return lock === undefined;
}
