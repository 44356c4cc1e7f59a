// Verification that survives ECR's read-after-write lag: DescribeImages is asked again, with exponential backoff,
// until the image shows every tag or a bounded time has passed (`verifyTimeoutSeconds`); then it fails in one line.
import type { EcrPort } from '../aws/clients';
import { awsErrorName } from '../aws/errors';
import { UserError } from '../errors';
import { describeDigest, findImageByTag, type FoundImage } from './images';

export interface WaitPolicy {
  /** How long to keep asking, in all. */
  timeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 4_000;

/** Asks `probe` until it answers something other than undefined, or the time is up (then undefined). */
export async function waitFor<T>(probe: () => Promise<T | undefined>, policy: WaitPolicy): Promise<T | undefined> {
  const now = policy.now ?? Date.now;
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + policy.timeoutMs;
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    const answer = await probe();
    if (answer !== undefined) return answer;
    const left = deadline - now();
    if (left <= 0) return undefined;
    await sleep(Math.min(delay, left));
  }
}

/** The image `tag` names once DescribeImages lists it (a push ECR has not indexed yet is waited for). */
export async function waitForTag(ecr: EcrPort, repositoryName: string, tag: string, policy: WaitPolicy): Promise<FoundImage> {
  const found = await waitFor(() => findImageByTag(ecr, repositoryName, tag), policy);
  if (found) return found;
  throw new UserError(
    `The push of ${tag} to ${repositoryName} succeeded, but DescribeImages still does not list it after ` +
      `${seconds(policy)}: run the same command again, or raise verifyTimeoutSeconds.`,
  );
}

/** DescribeImages must show `digest` carrying every tag of `tags`; returns the detail (size, push time). */
export async function verifyTags(
  ecr: EcrPort,
  repositoryName: string,
  digest: string,
  tags: string[],
  policy: WaitPolicy,
): Promise<FoundImage> {
  let last: FoundImage | undefined;
  const complete = await waitFor(async () => {
    // An image ECR does not list yet is lag too: DescribeImages answers ImageNotFound, or no detail.
    last = await describeDigest(ecr, repositoryName, digest).catch((error: unknown) => {
      if (awsErrorName(error) === 'ImageNotFoundException' || (error instanceof UserError && /is not in repository/.test(error.message))) {
        return undefined;
      }
      throw error;
    });
    return last && tags.every((tag) => last?.tags.includes(tag)) ? last : undefined;
  }, policy);
  if (complete) return complete;
  const missing = tags.filter((tag) => !last?.tags.includes(tag));
  throw new UserError(
    `Verification failed: ${repositoryName}@${digest} still lacks tag(s) ${missing.join(', ')} after ${seconds(policy)}: ` +
      `run the same command again (it moves only what is missing), or raise verifyTimeoutSeconds.`,
  );
}

const seconds = (policy: WaitPolicy) => `${Math.round(policy.timeoutMs / 1000)}s`;
