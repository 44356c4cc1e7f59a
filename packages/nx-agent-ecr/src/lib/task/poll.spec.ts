// The deadline loop: final observations end it, the deadline ends it with the last observation, Ctrl-C ends it at once.
import { pollUntil, sleepFor } from './poll';

/** A clock that only moves when the loop sleeps. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('pollUntil', () => {
  it('returns the first final observation, with the attempts it took', async () => {
    const time = fakeTime();
    const seen = [false, false, true];
    const polled = await pollUntil(async () => ({ done: seen.shift() ?? true, value: time.now() }), {
      timeoutMs: 10_000,
      intervalMs: 1_000,
      ...time,
    });
    expect(polled).toEqual({ done: true, value: 2_000, elapsedMs: 2_000, attempts: 3 });
  });

  it('when the deadline passes, returns the last observation as not done, never sleeping past the deadline', async () => {
    const time = fakeTime();
    const polled = await pollUntil(async () => ({ done: false, value: 'pending' }), { timeoutMs: 2_500, intervalMs: 1_000, ...time });
    expect(polled).toMatchObject({ done: false, value: 'pending', elapsedMs: 2_500 });
    expect(time.sleeps).toEqual([1_000, 1_000, 500]);
  });

  it('grows the interval with a function of the attempt number', async () => {
    const time = fakeTime();
    await pollUntil(async () => ({ done: time.now() >= 7_000, value: 0 }), { timeoutMs: 60_000, intervalMs: (n) => n * 1_000, ...time });
    expect(time.sleeps).toEqual([1_000, 2_000, 3_000, 4_000]);
  });

  it('an aborted signal ends the wait at once with its reason', async () => {
    const controller = new AbortController();
    const waiting = pollUntil(async () => ({ done: false, value: 0 }), {
      timeoutMs: 60_000,
      intervalMs: 30_000,
      signal: controller.signal,
    });
    controller.abort(new Error('Ctrl-C'));
    await expect(waiting).rejects.toThrow('Ctrl-C');
  });
});

describe('sleepFor', () => {
  it('rejects at once when the signal is already aborted', async () => {
    await expect(sleepFor(10_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });
});
