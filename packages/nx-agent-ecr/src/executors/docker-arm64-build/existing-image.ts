// Before a build: does ECR already hold this content for the push this build serves? Asks lib/ecr/presence.ts
// with the push's own resolved repositories; an optimisation in front of the build, so it never blocks it.
import type { ExecutorContext } from '@nx/devkit';
import { logger } from '../../lib/log';
import { oneLine } from '../../lib/errors';
import type { BuildRecord } from '../../lib/records/build-record';
import type { RunScope } from '../../lib/task/run-scope';
import { servedPushTarget, type ServedPush } from '../ecr-push/served-push';

export type ExistingImage = NonNullable<BuildRecord['existing']>;

/** Few attempts: a PR build without AWS access must not wait through the SDK's whole retry budget. */
const LOOKUP_ATTEMPTS = 2;

export async function findExistingImage(
  scope: RunScope,
  served: ServedPush[],
  context: ExecutorContext,
  env: NodeJS.ProcessEnv,
  contentTag: string,
): Promise<ExistingImage | undefined> {
  const [push] = served;
  if (!push) return undefined;
  let repositoryName = push.id;
  try {
    const target = servedPushTarget(push, context, env);
    repositoryName = target.naming.repositoryName;
    const remote = target.promoteSource;
    const source = remote && {
      ecr: scope.aws({ ...remote.target, maxAttempts: LOOKUP_ATTEMPTS }, scope.signal).ecr,
      registryId: remote.registryId,
    };
    const presence = await scope
      .presence({ region: target.region, profile: target.profile, maxAttempts: LOOKUP_ATTEMPTS })
      .locate({ repositoryName, promoteFromRepository: target.promoteFromRepository, contentTag, ...(source ? { source } : {}) });
    if (presence.where === 'nowhere') return undefined;
    const { repositoryUri, digest } = presence.image;
    return { repositoryUri, digest, foundIn: presence.where === 'this-repository' ? 'target' : 'promote-from' };
  } catch (error) {
    // A PR build without AWS access (or with push options ecr-push will refuse) must still build.
    logger.warn(`Could not ask ECR whether ${repositoryName} holds ${contentTag} (${oneLine(error)}); building.`);
    return undefined;
  }
}
