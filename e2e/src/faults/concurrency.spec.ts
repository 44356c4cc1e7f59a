// Fault suite, concurrency: two pipelines deliver the same service from two commits at once (two checkouts, two
// processes, as two CI jobs), then the older job is re-run. `latest` must end on the newer commit's image, every
// image keeps its own git-sha and content tags, and neither run fails falsely.
import { devRepo, expectTagsConsistent, PushProcess, PushWorkspace, tagsIn, useFaultSuite } from './fault-harness';

describe('fault suite: two concurrent pipelines (real processes, real engine, local-ecr)', () => {
  const localEcr = useFaultSuite();

  it('an older and a newer commit pushed at once: latest ends on the newer one, neither fails; re-running the older keeps it there', async () => {
    const older = new PushWorkspace();
    older.write('apps/agent/app.txt', 'older commit\n');
    const olderSha = older.commitAll('older');
    const newer = new PushWorkspace(undefined, undefined, older);
    newer.write('apps/agent/app.txt', 'newer commit\n');
    const newerSha = newer.commitAll('newer');
    try {
      // Read-after-write lag makes the race wider: each run sees the other's tags late.
      await localEcr().faults.add({ operation: 'PutImage', hideTagMs: 1_000 });
      const runs = [new PushProcess(older, localEcr()), new PushProcess(newer, localEcr())];
      const exits = await Promise.all(runs.map((run) => run.exited));
      expect(exits.map((exit) => exit.code)).toEqual([0, 0]);
      await localEcr().faults.clear();
      const tags = await tagsIn(localEcr(), devRepo(older));
      expect(tags['latest']).toBe(newer.pushRecord().digest);
      expect(tags[olderSha]).toBe(older.pushRecord().digest);
      expect(tags[newerSha]).toBe(newer.pushRecord().digest);
      expect(tags[newer.pushRecord().contentTag ?? '']).toBe(newer.pushRecord().digest);
      expect(tags[older.pushRecord().contentTag ?? '']).toBe(older.pushRecord().digest);
      expectTagsConsistent(tags);
      // A re-run of the older job: it succeeds, reports that latest stays, and does not move it back.
      const rerun = await older.push();
      expect(rerun).toMatchObject({ success: true });
      expect(rerun.logs.join('\n')).toMatch(/latest/);
      expect(older.pushRecord().notMoved).toEqual([{ tag: 'latest', because: expect.stringContaining(newer.pushRecord().digest) }]);
      expect((await tagsIn(localEcr(), devRepo(older)))['latest']).toBe(newer.pushRecord().digest);
    } finally {
      older.dispose();
      newer.dispose();
    }
  });
});
