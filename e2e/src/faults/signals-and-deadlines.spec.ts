// Fault suite, deadlines and signals: a black-holed AWS endpoint with default settings, INT / TERM / HUP during a
// docker push, and a push killed outright (SIGKILL). After each: the process ends promptly with one line, no child
// and no login folder (it holds a registry token) outlives it, ECR's tags are untouched or consistent, the push
// record says the run did not succeed, and a re-run converges.
import { existsSync } from 'node:fs';
import { buildRecordPath } from 'nx-agent-ecr/src/lib/records/build-record';
import {
  devRepo,
  errorLines,
  expectConverged,
  expectTagsConsistent,
  processesNaming,
  PushProcess,
  PushWorkspace,
  tagsIn,
  useFaultSuite,
} from './fault-harness';

describe('fault suite: deadlines and signals (real processes, real engine, local-ecr)', () => {
  const localEcr = useFaultSuite();
  let ws: PushWorkspace;
  beforeEach(() => {
    ws = new PushWorkspace();
  });
  afterEach(() => ws.dispose());

  it('a black-holed STS endpoint fails within 2 minutes with default settings, naming the endpoint and the operation; nothing built', async () => {
    ws.commitAll('black hole');
    await localEcr().faults.add({ operation: 'GetCallerIdentity', blackHole: true });
    const run = await ws.push();
    expect(run.success).toBe(false);
    expect(run.seconds).toBeLessThan(120);
    const endpoint = localEcr().endpoint.replace(/\/$/, '');
    expect(errorLines(run)).toEqual([expect.stringContaining(`STS GetCallerIdentity at ${endpoint} did not answer`)]);
    expect(existsSync(buildRecordPath(ws.root, 'apps/agent'))).toBe(false);
    expect(ws.pushRecord()).toMatchObject({ outcome: 'failed' });
    console.log(`black-holed STS: failed after ${run.seconds.toFixed(1)}s`);
  });

  /** A push whose blob uploads hang in the registry: a docker push is in flight when the signal comes. */
  const pushInFlight = async () => {
    // 20 s: long enough to signal in the middle; short, because the engine finishes an upload its killed CLI started,
    // and the re-run's push of the same layer waits for it.
    await localEcr().faults.add({ operation: 'registry:CompleteLayerUpload', delayMs: 20_000 });
    const child = new PushProcess(ws, localEcr());
    // Docker lists the layers it is about to upload; a moment later the uploads wait on the registry.
    await child.waitFor(/: Preparing$/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(processesNaming(`docker push ${localEcr().registryHost}/${devRepo(ws)}`)).toHaveLength(1);
    return child;
  };

  test.each<NodeJS.Signals>(['SIGINT', 'SIGTERM', 'SIGHUP'])(
    '%s during a docker push: the task aborts its children at once, removes its login folder, records the failure; a re-run converges',
    async (signal) => {
      const sha = ws.commitAll(`signal ${signal}`);
      const child = await pushInFlight();
      const sent = Date.now();
      child.child.kill(signal);
      const exit = await child.exited;
      const ms = exit.at - sent;
      console.log(`${signal}: the ecr-push process ended ${ms} ms after the signal (exit ${exit.code})`);
      expect(exit.code).toBe(1);
      expect(ms).toBeLessThan(2_500);
      expect(processesNaming(devRepo(ws))).toEqual([]);
      expect(child.leftovers()).toEqual([]);
      expect(child.output.filter((line) => /canceled/.test(line))).toHaveLength(1);
      expect(ws.pushRecord()).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/canceled/) });
      await localEcr().faults.clear();
      const tags = await tagsIn(localEcr(), devRepo(ws));
      expect(tags[sha]).toBeUndefined();
      expect(tags['latest']).toBeUndefined();
      await expectConverged(localEcr(), ws, sha);
    },
  );

  it('a push killed outright (SIGKILL): the record says in-progress, the next run removes the stale login folder and converges', async () => {
    const first = ws.commitAll('first');
    expect(await ws.push()).toMatchObject({ success: true });
    const before = await tagsIn(localEcr(), devRepo(ws));
    ws.write('apps/agent/app.txt', 'killed midway\n');
    const sha = ws.commitAll('killed');
    const child = await pushInFlight();
    child.child.kill('SIGKILL');
    await child.exited;
    // The orphaned docker push of the killed task (what a killed CI runner leaves) is ended here, by its pid.
    for (const line of processesNaming(devRepo(ws))) process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
    expect(child.leftovers()).not.toEqual([]);
    expect(ws.pushRecord()).toMatchObject({ outcome: 'in-progress' });
    await localEcr().faults.clear();
    const after = await tagsIn(localEcr(), devRepo(ws));
    expect([after['latest'], after[first]]).toEqual([before['latest'], before[first]]);
    expectTagsConsistent(after);
    // The next run in the same TMPDIR (the same machine) finds the folder of a process that is gone and removes it.
    const rerun = new PushProcess(ws, localEcr(), {}, child.tmp);
    expect((await rerun.exited).code).toBe(0);
    expect(rerun.leftovers()).toEqual([]);
    const tags = await tagsIn(localEcr(), devRepo(ws));
    expect([tags['latest'], tags[sha]]).toEqual([ws.pushRecord().digest, ws.pushRecord().digest]);
    expectTagsConsistent(tags);
    await expectConverged(localEcr(), ws, sha);
  });
});
