// A deploy's waits: lib/task/poll.ts's deadline loop, where a missed deadline is a DeadlineError that says what was
// still awaited (the rollout's or the runtime's last state). Aborting (Ctrl-C) ends the wait at once.
import { UserError } from '../errors';
import { pollUntil as pollWithDeadline, sleepFor, type Observation, type PollOptions as TaskPollOptions } from '../task/poll';

export { sleepFor, type Observation };

export type PollOptions = TaskPollOptions & { intervalMs: number };

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

/** Polls `observe` until it reports done; `describe(last)` names what was still awaited when the deadline passed. */
export async function pollUntil<T>(
  observe: () => Promise<Observation<T>>,
  describe: (last: T) => string,
  options: PollOptions,
): Promise<T> {
  const polled = await pollWithDeadline(observe, options);
  if (polled.done) return polled.value;
  const seconds = Math.round(options.timeoutMs / 1000);
  throw new DeadlineError(`${describe(polled.value)} after ${seconds}s (the deadline; raise timeoutSeconds to wait longer)`, polled.value);
}
