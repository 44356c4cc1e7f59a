// Waiting with a deadline: observe, and observe again after an interval, until the observation is final or the
// deadline passes. The caller words what a missed deadline means; aborting the signal (Ctrl-C) ends the wait at once.

export interface Observation<T> {
  done: boolean;
  value: T;
}

export interface PollOptions {
  timeoutMs: number;
  /** Pause between observations; a function grows it (backoff) from the attempt number, 1-based. */
  intervalMs: number | ((attempt: number) => number);
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export interface Polled<T> extends Observation<T> {
  /** Time from the first observation to the last. */
  elapsedMs: number;
  attempts: number;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The last observation: `done` true when it was final, false when the deadline passed first. */
export async function pollUntil<T>(observe: () => Promise<Observation<T>>, options: PollOptions): Promise<Polled<T>> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepFor;
  const started = now();
  const deadline = started + options.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const seen = await observe();
    const left = deadline - now();
    if (seen.done || left <= 0) return { ...seen, elapsedMs: now() - started, attempts: attempt };
    const interval = typeof options.intervalMs === 'function' ? options.intervalMs(attempt) : options.intervalMs;
    await sleep(Math.min(interval, left), options.signal);
  }
}
