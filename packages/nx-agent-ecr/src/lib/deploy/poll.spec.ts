// A deploy's waits: the interval, and the deadline's message naming what was still awaited (lib/task/poll.spec.ts
// covers Ctrl-C).
import { pollUntil } from './poll';

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
});
