// Is the image for this content already in ECR? The one check both executors share, so that neither a build
// nor an upload happens for content ECR already holds (cdk-assets does the same lookup in build and publish).
import { logger, type ExecutorContext } from '@nx/devkit';
import { createAwsPorts, type AwsPorts, type AwsTarget } from '../aws/clients';
import { findImageByTag } from './images';
import { describeRepository } from './repository';
import type { EcrPushExecutorSchema } from '../../executors/ecr-push/schema';
import { oneLine } from '../errors';
import { EXECUTORS } from '../records/names';
import { promoteFromRepositoryName, repositoryNameError, resolveWorkspaceNaming } from './naming';


export interface ExistingImage {
  /** Repository URI as ECR reports it (never assembled by hand). */
  repositoryUri: string;
  digest: string;
  /** `target`: the repository this push goes to holds it; `promote-from`: another environment's repository does. */
  foundIn: 'target' | 'promote-from';
}

export interface LookupDeps {
  aws: (target: AwsTarget) => AwsPorts;
  env: NodeJS.ProcessEnv;
}

type PushTargetOptions = Pick<
  EcrPushExecutorSchema,
  'projectName' | 'environment' | 'service' | 'repositoryName' | 'region' | 'profile' | 'promoteFrom' | 'promoteFromRepository'
>;

/** The project's ecr-push options under the configuration this run uses (e.g. `-c prod`), or undefined. */
export function ecrPushOptions(context: ExecutorContext): PushTargetOptions | undefined {
  const project = context.projectName ? context.projectsConfigurations?.projects[context.projectName] : undefined;
  const targets = Object.entries(project?.targets ?? {}).filter(([, t]) => t.executor === EXECUTORS.push);
  const [, target] = targets.find(([name]) => name === 'ecr-push') ?? targets[0] ?? [];
  if (!target) return undefined;
  const configuration = context.configurationName ?? target.defaultConfiguration;
  return { ...(target.options ?? {}), ...(configuration ? (target.configurations?.[configuration] ?? {}) : {}) } as PushTargetOptions;
}

/** Returns the image that already carries `contentTag`, or undefined when it must be built. Never throws for "absent". */
export async function findPushedImage(
  context: ExecutorContext,
  contentTag: string,
  deps: LookupDeps = { aws: createAwsPorts, env: process.env },
): Promise<ExistingImage | undefined> {
  const options = ecrPushOptions(context);
  if (!options || !context.projectName) return undefined;
  const naming = resolveWorkspaceNaming(options, context.root, context.projectName, deps.env);
  if (repositoryNameError(naming.repositoryName)) return undefined;
  const candidates: [string | undefined, ExistingImage['foundIn']][] = [
    [naming.repositoryName, 'target'],
    [promoteFromRepositoryName(naming, options), 'promote-from'],
  ];
  try {
    // Few attempts: this is an optimisation in front of a build, not the push itself.
    const { ecr } = deps.aws({ region: options.region, profile: options.profile, maxAttempts: 2 });
    for (const [repositoryName, foundIn] of candidates) {
      if (!repositoryName) continue;
      const repo = await describeRepository(ecr, repositoryName);
      const image = repo?.repositoryUri ? await findImageByTag(ecr, repositoryName, contentTag) : undefined;
      if (repo?.repositoryUri && image) return { repositoryUri: repo.repositoryUri, digest: image.digest, foundIn };
    }
  } catch (error) {
    // A PR build without AWS access must still build: the lookup only saves work, it never blocks it.
    logger.warn(`Could not ask ECR whether ${naming.repositoryName} holds ${contentTag} (${oneLine(error)}); building.`);
  }
  return undefined;
}
