// Starts local-ecr as a detached background process and stops it again, through the state directory's files.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { recordedInstance, runningInstance, type InstanceInfo } from '../lib/instance-file';
import { isSameProcess } from '../lib/process-identity';
import { stateDirLocked } from '../lib/state-lock';

export const LOG_FILE = 'local-ecr.log';
const START_DEADLINE_MS = 30_000;
/** The log is appended to (concurrent starts share it) and rotated once it passes this size. */
const MAX_LOG_BYTES = 1024 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function healthy(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/_local-ecr/health`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/** The last meaningful line this start wrote to the log (from `offset` on): why the process could not start. */
function lastLogLine(logFile: string, offset: number): string {
  const lines = readFileSync(logFile)
    .subarray(offset)
    .toString('utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.at(-1) ?? `no output (see ${logFile})`;
}

function openLog(logFile: string): { fd: number; offset: number } {
  if (existsSync(logFile) && statSync(logFile).size > MAX_LOG_BYTES) renameSync(logFile, `${logFile}.1`);
  const fd = openSync(logFile, 'a');
  return { fd, offset: existsSync(logFile) ? statSync(logFile).size : 0 };
}

export type Started = { info: InstanceInfo; alreadyRunning: boolean };

/**
 * Spawns `bin start --foreground …` detached, logging to the state directory; resolves once it is healthy. When a
 * concurrent start won the state directory's lock, resolves with that instance instead. Never waits for ever: after
 * the deadline the child is killed and the error quotes its last output.
 */
export async function startInBackground(binPath: string, args: readonly string[], stateDir: string): Promise<Started> {
  mkdirSync(stateDir, { recursive: true });
  const logFile = join(stateDir, LOG_FILE);
  const log = openLog(logFile);
  const child = spawn(process.execPath, [binPath, ...args], { detached: true, stdio: ['ignore', log.fd, log.fd], env: process.env });
  closeSync(log.fd);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  child.unref();
  const deadline = Date.now() + START_DEADLINE_MS;
  while (Date.now() < deadline) {
    const info = runningInstance(stateDir);
    if (info && info.pid === child.pid && (await healthy(info.endpoint))) return { info, alreadyRunning: false };
    if (exited) {
      // Lost the race for the lock: another start serves this directory; wait for it to be healthy.
      if (info && info.pid !== child.pid && (await healthy(info.endpoint))) return { info, alreadyRunning: true };
      if (!info && !stateDirLocked(stateDir)) throw new Error(lastLogLine(logFile, log.offset));
    }
    await sleep(100);
  }
  if (!exited && child.pid) process.kill(child.pid, 'SIGKILL');
  throw new Error(
    `local-ecr did not become healthy within ${START_DEADLINE_MS / 1000} s and was stopped; its last output: ${lastLogLine(logFile, log.offset)}`,
  );
}

export type Stopped = { stopped: InstanceInfo } | { stale: InstanceInfo } | undefined;

/**
 * Stops the instance of a state directory: SIGTERM, then SIGKILL after 10 s. It signals only a process whose pid
 * AND start time match the instance file, so a pid reused by another program is never signalled.
 */
export async function stopInstance(stateDir: string): Promise<Stopped> {
  const info = runningInstance(stateDir);
  if (!info) {
    const recorded = recordedInstance(stateDir);
    return recorded ? { stale: recorded } : undefined;
  }
  try {
    process.kill(info.pid, 'SIGTERM');
  } catch {
    return { stopped: info }; // It ended between the check and the signal.
  }
  const deadline = Date.now() + 10_000;
  while (isSameProcess(info.pid, info.startTime) && Date.now() < deadline) await sleep(100);
  if (isSameProcess(info.pid, info.startTime)) process.kill(info.pid, 'SIGKILL');
  return { stopped: info };
}
