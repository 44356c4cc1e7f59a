import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyState, STATE_FILE } from './state';
import { StateStore } from './state-store';

describe('StateStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-ecr-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a burst of changes once, and every commit resolves after the write that holds its change', async () => {
    const store = new StateStore(dir, emptyState());
    const commits = Array.from({ length: 100 }, (_, n) => {
      store.data.accountSettings.set(`S${n}`, 'x');
      return store.commit();
    });
    await Promise.all(commits);
    expect(store.writes).toBe(1);
    expect(
      Object.keys((JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as { accountSettings: object }).accountSettings),
    ).toHaveLength(100);
  });

  it('writes again for a change made after the previous write', async () => {
    const store = new StateStore(dir, emptyState());
    await store.commit();
    store.data.tokenGeneration = 7;
    await store.commit();
    expect(store.writes).toBe(2);
    expect(JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8'))).toMatchObject({ tokenGeneration: 7 });
  });
});
