// Verification survives ECR's read-after-write lag: it asks again with backoff, for a bounded time, then fails naming
// the tags that are missing and the fix.
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import 'aws-sdk-client-mock-jest';
import { awsError, mockedEcr } from '../aws/test-support';
import { verifyTags, waitFor, waitForTag } from './verify';

const digest = 'sha256:aaa';
let { mock, ecr } = mockedEcr();
beforeEach(() => ({ mock, ecr } = mockedEcr()));

/** A clock that only sleeping moves: the waits a policy makes, and no real time. */
function clock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    policy: (timeoutMs: number) => ({ timeoutMs, now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)) }),
  };
}

describe('waitFor', () => {
  it('asks again with exponential backoff capped at 4s, and stops at the deadline (the last wait shortened to it)', async () => {
    const c = clock();
    await expect(waitFor(async () => undefined, c.policy(10_000))).resolves.toBeUndefined();
    expect(c.sleeps).toEqual([250, 500, 1000, 2000, 4000, 2250]);
  });

  it('returns the first answer without waiting further', async () => {
    const c = clock();
    let calls = 0;
    await expect(waitFor(async () => (++calls === 3 ? 'found' : undefined), c.policy(60_000))).resolves.toBe('found');
    expect(c.sleeps).toEqual([250, 500]);
  });
});

describe('verifyTags', () => {
  it('passes at once when the digest carries every tag, with size and push time', async () => {
    const pushedAt = new Date('2026-01-01T00:00:00Z');
    mock
      .on(DescribeImagesCommand)
      .resolves({ imageDetails: [{ imageDigest: digest, imageTags: ['a', 'b'], imageSizeInBytes: 7, imagePushedAt: pushedAt }] });
    const c = clock();
    await expect(verifyTags(ecr, 'r', digest, ['a', 'b'], c.policy(30_000))).resolves.toMatchObject({ sizeBytes: 7, pushedAt });
    expect(c.sleeps).toEqual([]);
  });

  it('waits out read-after-write lag: a tag (or the image) missing at first is there later', async () => {
    mock
      .on(DescribeImagesCommand)
      .rejectsOnce(awsError('ImageNotFoundException'))
      .resolvesOnce({ imageDetails: [{ imageDigest: digest, imageTags: ['a'] }] })
      .resolves({ imageDetails: [{ imageDigest: digest, imageTags: ['a', 'b'] }] });
    const c = clock();
    await expect(verifyTags(ecr, 'r', digest, ['a', 'b'], c.policy(30_000))).resolves.toMatchObject({ digest });
    expect(c.sleeps).toEqual([250, 500]);
  });

  it('fails after the bounded time, naming the missing tags and the fix', async () => {
    mock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: digest, imageTags: ['a'] }] });
    await expect(verifyTags(ecr, 'r', digest, ['a', 'b'], clock().policy(5_000))).rejects.toThrow(
      'Verification failed: r@sha256:aaa still lacks tag(s) b after 5s: run the same command again (it moves only what is missing), or raise verifyTimeoutSeconds.',
    );
  });

  it('does not wait out other errors: they are rethrown at once', async () => {
    mock.on(DescribeImagesCommand).rejects(awsError('AccessDeniedException'));
    await expect(verifyTags(ecr, 'r', digest, ['a'], clock().policy(30_000))).rejects.toThrow('"ecr:DescribeImages"');
  });
});

describe('waitForTag', () => {
  it('finds a pushed tag ECR lists only after a while, and names the fix when it never does', async () => {
    mock
      .on(DescribeImagesCommand)
      .rejectsOnce(awsError('ImageNotFoundException'))
      .resolves({ imageDetails: [{ imageDigest: digest, imageTags: ['c'] }] });
    await expect(waitForTag(ecr, 'r', 'c', clock().policy(10_000))).resolves.toMatchObject({ digest });
    mock.reset();
    mock.on(DescribeImagesCommand).rejects(awsError('ImageNotFoundException'));
    await expect(waitForTag(ecr, 'r', 'c', clock().policy(2_000))).rejects.toThrow(
      'The push of c to r succeeded, but DescribeImages still does not list it after 2s: run the same command again, or raise verifyTimeoutSeconds.',
    );
  });
});
