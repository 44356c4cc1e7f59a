import { KeyedLock } from './keyed-lock';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('KeyedLock', () => {
  it('runs the work for one key one at a time, in arrival order, and leaves no key behind', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const work = (name: string) => async () => {
      events.push(`${name} start`);
      await tick();
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([lock.run('a', work('1')), lock.run('a', work('2')), lock.run('a', work('3'))]);
    expect(results).toEqual(['1', '2', '3']);
    expect(events).toEqual(['1 start', '1 end', '2 start', '2 end', '3 start', '3 end']);
    expect(lock.size).toBe(0);
  });

  it('lets other keys run at the same time, and releases the key when the work throws', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const failing = lock.run('a', async () => {
      events.push('a start');
      await tick();
      throw new Error('boom');
    });
    await lock.run('b', async () => void events.push('b ran'));
    await expect(failing).rejects.toThrow('boom');
    await lock.run('a', async () => void events.push('a again'));
    expect(events).toEqual(['a start', 'b ran', 'a again']);
    expect(lock.size).toBe(0);
  });
});
