import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSameProcess, processStartTime } from './process-identity';
import { stateDirLocked, tryLockStateDir } from './state-lock';

describe('state directory lock (real flock)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-ecr-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the lock to one holder at a time, and again once it is released', () => {
    const first = tryLockStateDir(dir);
    expect(first).toBeDefined();
    expect(tryLockStateDir(dir)).toBeUndefined();
    expect(stateDirLocked(dir)).toBe(true);
    first!.release();
    expect(stateDirLocked(dir)).toBe(false);
    tryLockStateDir(dir)!.release();
  });

  it('is held against another process, and freed by the kernel when the holder dies', () => {
    const lock = tryLockStateDir(dir)!;
    const other = spawnSync('flock', ['--nonblock', join(dir, 'local-ecr.lock'), 'true']);
    expect(other.status).toBe(1);
    lock.release();
    expect(spawnSync('flock', ['--nonblock', join(dir, 'local-ecr.lock'), 'true']).status).toBe(0);
  });
});

describe('process identity', () => {
  it('proves this process by pid and start time, and refuses the same pid with another start time', () => {
    const startTime = processStartTime(process.pid);
    expect(startTime).toMatch(/^\d+$/);
    expect(isSameProcess(process.pid, startTime)).toBe(true);
    expect(isSameProcess(process.pid, '1')).toBe(false);
    expect(isSameProcess(process.pid, undefined)).toBe(false);
    expect(processStartTime(2 ** 22 + 1)).toBeUndefined();
  });
});
