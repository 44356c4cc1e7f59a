// Waiting with a deadline: the interval, the deadline's message, and Ctrl-C ending a sleep at once.
import { pollUntil, sleepFor } from './poll';

describe('pollUntil', () => {
  it('asks until done, sleeping the interval between answers', async () => {
    let now = 0;
    const answers = [false, false, true];
    const sleeps: number[] = [];
    const value = await pollUntil(
      async () => ({ done: answers.shift() as boolean, value: answers.length }),
      () => 'x',
      {
        timeoutMs: 60_000,
        intervalMs: 5_000,
        now: () => now,
        sleep: async (ms) => {
          sleeps.push(ms);
          now += ms;
        },
      },
    );
    expect({ value, sleeps }).toEqual({ value: 0, sleeps: [5_000, 5_000] });
  });

  it('fails at the deadline with what it last saw, never sleeping past it', async () => {
    let now = 0;
    const sleeps: number[] = [];
    const wait = pollUntil(
      async () => ({ done: false, value: 'UPDATING' }),
      (last) => `still ${last}`,
      {
        timeoutMs: 12_000,
        intervalMs: 5_000,
        now: () => now,
        sleep: async (ms) => {
          sleeps.push(ms);
          now += ms;
        },
      },
    );
    await expect(wait).rejects.toThrow('still UPDATING after 12s (the deadline; raise timeoutSeconds to wait longer)');
    expect(sleeps).toEqual([5_000, 5_000, 2_000]);
  });

  it('an abort ends a sleep at once with the abort reason', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const sleeping = sleepFor(60_000, abort.signal);
    abort.abort(new Error('cancelled'));
    await expect(sleeping).rejects.toThrow('cancelled');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
