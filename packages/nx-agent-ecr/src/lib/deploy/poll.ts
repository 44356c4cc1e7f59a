// Waiting with a deadline: ask, and ask again every interval until the answer is final or the deadline passes.
// Aborting (Ctrl-C) ends the wait at once.
import { UserError } from '../errors';

export type Observation<T> = { done: true; value: T } | { done: false; value: T };

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** Thrown when the deadline passes; `last` is the final observation, for the message and the record. */
export class DeadlineError<T> extends UserError {
  constructor(
    message: string,
    readonly last: T,
  ) {
    super(message);
    this.name = 'DeadlineError';
  }
}

export const sleepFor = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Polls `observe` until it reports done; `describe(last)` names what was still awaited when the deadline passed. */
export async function pollUntil<T>(
  observe: () => Promise<Observation<T>>,
  describe: (last: T) => string,
  options: PollOptions,
): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepFor;
  const deadline = now() + options.timeoutMs;
  for (;;) {
    const seen = await observe();
    if (seen.done) return seen.value;
    const left = deadline - now();
    if (left <= 0)
      throw new DeadlineError(
        `${describe(seen.value)} after ${Math.round(options.timeoutMs / 1000)}s (the deadline; raise timeoutSeconds to wait longer)`,
        seen.value,
      );
    await sleep(Math.min(options.intervalMs, left), options.signal);
  }
}
