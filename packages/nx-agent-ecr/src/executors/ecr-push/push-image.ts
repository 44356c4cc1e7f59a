// `docker tag` + `docker push` of the content tag through the temp DOCKER_CONFIG: bounded retries with backoff for
// transient network errors, one re-login when the registry says the token expired.
import type { ProcessRunner, RunResult } from '../../lib/process';
import { UserError } from '../../lib/errors';
import { isAuthFailure } from '../../lib/ecr/registry-login';

export interface PushDeps {
  run: ProcessRunner;
  /** DOCKER_CONFIG of the login session. */
  env: Record<string, string>;
  /** Fetches a fresh token into the session's config. */
  relogin: () => Promise<unknown>;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface PushPolicy {
  attempts: number;
  baseDelayMs: number;
  /** Deadline of each `docker push`. */
  timeoutMs?: number;
}

const TRANSIENT = [
  /connection reset/i,
  /i\/o timeout/i,
  /TLS handshake timeout/i,
  /broken pipe/i,
  /EOF\b/,
  /connection refused/i,
  /received unexpected HTTP status: 5\d\d/i,
  /\b50[0234]\b/,
  /service unavailable|too many requests/i,
];

export function isTransientPushError(output: string): boolean {
  return TRANSIENT.some((pattern) => pattern.test(output));
}

/** Exponential backoff: base, 2×base, 4×base … (bounded by the attempt count). */
export function backoffMs(attempt: number, baseDelayMs: number): number {
  return baseDelayMs * 2 ** (attempt - 1);
}

export function pushArgs(ref: string): string[] {
  return ['push', ref];
}

export function tagArgs(localRef: string, remoteRef: string): string[] {
  return ['tag', localRef, remoteRef];
}

/** Tags the local image with the remote ref and pushes it; returns the successful push's duration. */
export async function tagAndPush(deps: PushDeps, localRef: string, remoteRef: string, policy: PushPolicy): Promise<number> {
  const tagged = await deps.run('docker', tagArgs(localRef, remoteRef), { env: deps.env, signal: deps.signal });
  if (tagged.exitCode !== 0) {
    throw new UserError(
      `docker tag ${localRef} failed (exit ${tagged.exitCode}): ${lastLine(tagged)}. ` +
        `Is the image built locally? Run the docker-build target first.`,
    );
  }
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let reloggedIn = false;
  for (let attempt = 1; ; attempt++) {
    const timeout = policy.timeoutMs ? { timeoutMs: policy.timeoutMs } : {};
    const result = await deps.run('docker', pushArgs(remoteRef), { env: deps.env, stream: true, signal: deps.signal, ...timeout });
    if (result.exitCode === 0) return result.durationMs;
    if (result.canceled) throw new UserError(`docker push ${remoteRef} was cancelled.`);
    if (result.timedOut) {
      const minutes = Math.round((policy.timeoutMs ?? 0) / 60_000);
      throw new UserError(
        `docker push ${remoteRef} did not finish within ${minutes} min and was stopped: check the network, or raise pushTimeoutMinutes.`,
      );
    }
    const output = `${result.stderr}\n${result.stdout}`;
    if (isAuthFailure(output) && !reloggedIn) {
      reloggedIn = true;
      deps.log?.('The registry rejected the token (expired?); fetching a new one and pushing again.');
      await deps.relogin();
      attempt--;
      continue;
    }
    if (!isTransientPushError(output) || attempt >= policy.attempts) {
      throw new UserError(
        `docker push ${remoteRef} failed (exit ${result.exitCode}, attempt ${attempt}/${policy.attempts}): ${lastLine(result)}`,
      );
    }
    const delay = backoffMs(attempt, policy.baseDelayMs);
    deps.log?.(
      `docker push hit a transient error (${lastLine(result)}); retrying in ${delay / 1000}s (attempt ${attempt + 1}/${policy.attempts}).`,
    );
    await sleep(delay);
  }
}

/** Docker's last word on the failure: its last error line (stderr), else the last line of its progress output. */
function lastLine(result: RunResult): string {
  const last = (text: string) =>
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1);
  return last(result.stderr) ?? last(result.stdout) ?? 'no output';
}
