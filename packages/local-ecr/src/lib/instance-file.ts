// The file that says a local-ecr is serving a state directory (pid, endpoint): the lock and the CLI's lookup.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const INSTANCE_FILE = 'local-ecr.json';

export interface InstanceInfo {
  pid: number;
  port: number;
  endpoint: string;
  startedAt: string;
}

export const instanceFile = (stateDir: string) => join(stateDir, INSTANCE_FILE);

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The instance serving this state directory, if its process still runs. */
export function runningInstance(stateDir: string): InstanceInfo | undefined {
  const file = instanceFile(stateDir);
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as InstanceInfo;
    return isAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

export const writeInstance = (stateDir: string, info: InstanceInfo) => writeFileSync(instanceFile(stateDir), JSON.stringify(info, null, 2));

export const removeInstance = (stateDir: string) => rmSync(instanceFile(stateDir), { force: true });
