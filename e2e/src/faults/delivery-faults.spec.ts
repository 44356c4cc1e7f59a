// Fault suite, delivery: ECR and the registry fail in the middle of a push (the second PutImage, throttling on every
// other call, read-after-write lag, a connection reset mid-upload, a token that expires mid-push). After each: nothing
// lost, `latest` never without its git-sha tag, at most one error line, and a re-run that converges.
import {
  devRepo,
  errorLines,
  expectSuccess,
  expectConverged,
  expectTagsConsistent,
  PushWorkspace,
  tagsIn,
  useFaultSuite,
} from './fault-harness';

describe('fault suite: delivery under ECR and registry faults (real engine, local-ecr fault hooks)', () => {
  const localEcr = useFaultSuite();
  let ws: PushWorkspace;
  beforeEach(() => {
    ws = new PushWorkspace();
  });
  afterEach(() => ws.dispose());

  /** A first delivery, then an edit committed: the case's push has an older image under `latest` to keep. */
  const deliveredThenEdited = async (text: string) => {
    const first = ws.commitAll('first');
    expect(await ws.push()).toMatchObject({ success: true });
    const before = await tagsIn(localEcr(), devRepo(ws));
    ws.write('apps/agent/app.txt', text);
    return { first, before, sha: ws.commitAll('edit') };
  };

  it('the second PutImage (latest) fails: git sha and content tag stand on the new image, latest stays on its own; a re-run moves it', async () => {
    const { first, before, sha } = await deliveredThenEdited('second PutImage\n');
    await localEcr().faults.add({ operation: 'PutImage', nth: 2, error: 'AccessDeniedException' });
    const failed = await ws.push();
    expect(failed.success).toBe(false);
    const [line, ...more] = errorLines(failed);
    expect(more).toEqual([]);
    expect(line).toMatch(
      /Moving tag latest in .* failed .*Moved: content-[0-9a-f]{24}, [0-9a-f]{7,}; not moved: latest\. Run the same command again/,
    );
    const after = await tagsIn(localEcr(), devRepo(ws));
    expect(after['latest']).toBe(before['latest']);
    expect(after[first]).toBe(before[first]);
    expect(after[sha]).toBeDefined();
    expect(after[sha]).not.toBe(before['latest']);
    expectTagsConsistent(after);
    expect(ws.pushRecord()).toMatchObject({ outcome: 'failed', movedTags: expect.arrayContaining([sha]) });
    const converged = await expectConverged(localEcr(), ws, sha);
    expect(converged['latest']).toBe(after[sha]);
  });

  it('throttling on every other ECR call: the SDK retries, the delivery succeeds with every tag on one digest', async () => {
    const sha = ws.commitAll('throttled');
    for (const operation of [
      'DescribeRepositories',
      'CreateRepository',
      'DescribeImages',
      'BatchGetImage',
      'PutImage',
      'GetAuthorizationToken',
    ]) {
      await localEcr().faults.add({ operation, every: 2, error: 'ThrottlingException' });
    }
    const run = await ws.push();
    expect(run).toMatchObject({ success: true });
    expect(errorLines(run)).toEqual([]);
    const fired = (await localEcr().faults.list()).reduce((sum, fault) => sum + (fault.fired ?? 0), 0);
    expect(fired).toBeGreaterThan(3);
    const tags = await tagsIn(localEcr(), devRepo(ws));
    expect(tags['latest']).toBe(ws.pushRecord().digest);
    expect(tags[sha]).toBe(ws.pushRecord().digest);
    expectTagsConsistent(tags);
  });

  it('DescribeImages lags behind PutImage and the push: verify retries with backoff and succeeds, no false failure', async () => {
    const sha = ws.commitAll('lag');
    for (const operation of ['PutImage', 'registry:PutManifest']) await localEcr().faults.add({ operation, hideTagMs: 4_000 });
    const run = await ws.push('dev', { verifyTimeoutSeconds: 30 });
    expect(run).toMatchObject({ success: true });
    expect(errorLines(run)).toEqual([]);
    const tags = await tagsIn(localEcr(), devRepo(ws));
    expect([tags['latest'], tags[sha]]).toEqual([ws.pushRecord().digest, ws.pushRecord().digest]);
    // The same lag with verification bounded below it: a clear failure naming the tag, not a hang; a re-run converges.
    ws.write('apps/agent/app.txt', 'lag, bounded\n');
    const sha2 = ws.commitAll('lag 2');
    for (const operation of ['PutImage', 'registry:PutManifest']) await localEcr().faults.add({ operation, hideTagMs: 20_000 });
    const bounded = await ws.push('dev', { verifyTimeoutSeconds: 2 });
    expect(bounded.success).toBe(false);
    expect(errorLines(bounded)).toEqual([expect.stringMatching(/content-[0-9a-f]{24}|latest|[0-9a-f]{7}/)]);
    await localEcr().faults.clear();
    await expectConverged(localEcr(), ws, sha2);
  });

  it('the connection resets mid-upload: docker push is retried, the content arrives whole, tags consistent', async () => {
    const sha = ws.commitAll('reset');
    await localEcr().faults.add({ operation: 'registry:CompleteLayerUpload', nth: 1, resetAfterBytes: 64 });
    await localEcr().faults.add({ operation: 'registry:UploadLayerPart', nth: 1, resetAfterBytes: 64 });
    const run = await ws.push();
    expect(run).toMatchObject({ success: true });
    const fired = (await localEcr().faults.list()).reduce((sum, fault) => sum + (fault.fired ?? 0), 0);
    expect(fired).toBeGreaterThan(0);
    const tags = await tagsIn(localEcr(), devRepo(ws));
    expect(tags[sha]).toBe(ws.pushRecord().digest);
    expectTagsConsistent(tags);
  });

  it('the registry token expires mid-push: ecr-push logs in again and the push completes', async () => {
    const sha = ws.commitAll('expiry');
    // The first blob upload waits; the tokens expire meanwhile, so the next registry request is refused as expired.
    await localEcr().faults.add({ operation: 'registry:CompleteLayerUpload', nth: 1, delayMs: 3_000 });
    const expire = (async () => {
      while (!(await localEcr().faults.list()).some((fault) => (fault.calls ?? 0) > 0)) await new Promise((r) => setTimeout(r, 200));
      await localEcr().expireTokens();
    })();
    const run = await ws.push();
    await expire;
    expectSuccess(run);
    expect(run.logs.join('\n')).toMatch(/rejected the token/);
    const tags = await tagsIn(localEcr(), devRepo(ws));
    expect(tags[sha]).toBe(ws.pushRecord().digest);
    expectTagsConsistent(tags);
  });
});
