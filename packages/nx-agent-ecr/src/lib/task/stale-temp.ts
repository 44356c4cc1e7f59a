// The plugin's temp folders carry their owner (pid and process start time). A run that was killed outright
// (SIGKILL, a crashed runner) cannot remove its folder — a login folder holds a registry token — so the next run
// removes every folder whose owner is gone, at start.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** mkdtemp prefixes of the plugin's temp folders: login sessions and builds. */
export const TEMP_PREFIXES = ['nx-agent-ecr-docker-', 'nx-agent-ecr-build-'] as const;
const OWNER_FILE = '.owner.json';
/** A folder without an owner file (written by an older version) is only removed once it is surely abandoned. */
const UNOWNED_AGE_MS = 24 * 60 * 60_000;

interface Owner {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: tells a reused pid from the original process. Absent off Linux. */
  start?: string;
}

export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isRunning(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return owner.start === undefined || processStartTime(owner.pid) === owner.start;
}

/** Marks `dir` as this process's, so a later run can tell whether its owner still lives. */
export function markOwner(dir: string): void {
  const owner: Owner = { pid: process.pid, start: processStartTime(process.pid) };
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify(owner), { mode: 0o600 });
}

/** Removes the plugin's temp folders under `root` whose owner is gone; returns them. Never throws. */
export function removeStaleTempDirs(root: string = tmpdir(), now: number = Date.now()): string[] {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(root).filter((name) => TEMP_PREFIXES.some((prefix) => name.startsWith(prefix)));
  } catch {
    return removed;
  }
  for (const name of entries) {
    const dir = join(root, name);
    try {
      if (isStale(dir, now)) {
        rmSync(dir, { recursive: true, force: true });
        removed.push(dir);
      }
    } catch {
      // Another user's folder, or one removed meanwhile: not ours to worry about.
    }
  }
  return removed;
}

function isStale(dir: string, now: number): boolean {
  let owner: Owner | undefined;
  try {
    owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as Owner;
  } catch {
    return now - statSync(dir).mtimeMs > UNOWNED_AGE_MS;
  }
  return !isRunning(owner);
}

let swept = false;

/** Once per process: the first run scope sweeps what killed runs left behind. */
export function sweepOnce(root?: string): void {
  if (swept) return;
  swept = true;
  removeStaleTempDirs(root);
}
