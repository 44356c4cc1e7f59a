// The file that says which process serves a state directory (pid, its start time, endpoint): the CLI's lookup.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSameProcess, processStartTime } from './process-identity';

export const INSTANCE_FILE = 'local-ecr.json';

export interface InstanceInfo {
  pid: number;
  /** The process's start time (/proc/<pid>/stat): with the pid, it proves the process is still this instance. */
  startTime: string;
  port: number;
  endpoint: string;
  startedAt: string;
}

export const instanceFile = (stateDir: string) => join(stateDir, INSTANCE_FILE);

/** What the instance file says, proven or not; undefined when there is none or it is unreadable. */
export function recordedInstance(stateDir: string): InstanceInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(instanceFile(stateDir), 'utf8')) as Partial<InstanceInfo>;
    return typeof info.pid === 'number' && typeof info.endpoint === 'string' ? (info as InstanceInfo) : undefined;
  } catch {
    return undefined;
  }
}

/** The instance serving this state directory, only if its pid still names the process that wrote the file. */
export function runningInstance(stateDir: string): InstanceInfo | undefined {
  const info = recordedInstance(stateDir);
  return info && isSameProcess(info.pid, info.startTime) ? info : undefined;
}

/** Records this process as the one serving the state directory (written atomically). */
export function writeInstance(stateDir: string, info: Omit<InstanceInfo, 'pid' | 'startTime'>): InstanceInfo {
  const full: InstanceInfo = { pid: process.pid, startTime: processStartTime(process.pid) ?? '', ...info };
  const temporary = `${instanceFile(stateDir)}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(full, null, 2));
  renameSync(temporary, instanceFile(stateDir));
  return full;
}

export const removeInstance = (stateDir: string) => rmSync(instanceFile(stateDir), { force: true });
