// Starts local-ecr as a detached background process and stops it again, through the state directory's files.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, runningInstance, type InstanceInfo } from '../lib/instance-file';

export const LOG_FILE = 'local-ecr.log';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function healthy(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/_local-ecr/health`)).ok;
  } catch {
    return false;
  }
}

/** The last meaningful line of the background log: why the process could not start. */
function lastLogLine(logFile: string): string {
  const lines = readFileSync(logFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.at(-1) ?? `no output (see ${logFile})`;
}

/** Spawns `bin start --foreground …` detached, logging to the state directory; resolves once it is healthy. */
export async function startInBackground(binPath: string, args: readonly string[], stateDir: string): Promise<InstanceInfo> {
  mkdirSync(stateDir, { recursive: true });
  const logFile = join(stateDir, LOG_FILE);
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [binPath, ...args], { detached: true, stdio: ['ignore', log, log], env: process.env });
  closeSync(log);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  child.unref();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(lastLogLine(logFile));
    const info = runningInstance(stateDir);
    if (info && info.pid === child.pid && (await healthy(info.endpoint))) return info;
    await sleep(100);
  }
  throw new Error(`local-ecr did not become healthy within 20 s; see ${logFile}.`);
}

/** Sends SIGTERM and waits for the process to go (SIGKILL after 10 s); returns false when nothing ran. */
export async function stopInstance(stateDir: string): Promise<InstanceInfo | undefined> {
  const info = runningInstance(stateDir);
  if (!info) return undefined;
  process.kill(info.pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (isAlive(info.pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(info.pid)) process.kill(info.pid, 'SIGKILL');
  return info;
}
