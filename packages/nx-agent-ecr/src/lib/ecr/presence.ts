// Where does this image content already live: in the repository a push goes to, in another environment's
// repository it can be promoted from, or nowhere? The one answer docker-build (skip the build) and ecr-push
// (retag, promote or push) both use, in the spirit of cdk-assets' single memoised lookup.
import type { EcrPort } from '../aws/clients';
import { findImageByTag, type FoundImage } from './images';
import { describeRepository } from './repository';

/** A resolved push target and the content it asks about. */
export interface PresenceQuery {
  /** The repository the push goes to. */
  repositoryName: string;
  /** Another environment's repository the content may be promoted from; undefined when promotion is off. */
  promoteFromRepository?: string;
  contentTag: string;
  /** The target repository's URI when the caller has described it already (saves a DescribeRepositories). */
  repositoryUri?: string;
  /** The promote-from repository lives in another account or region: asked through its own port and registry id. */
  source?: { ecr: EcrPort; registryId?: string };
}

/** An image found in ECR, with its repository's URI as ECR reports it (never assembled by hand). */
export interface LocatedImage extends FoundImage {
  repositoryUri: string;
}

export type Presence =
  { where: 'this-repository'; image: LocatedImage } | { where: 'other-environment'; image: LocatedImage } | { where: 'nowhere' };

/**
 * The presence seam. Callers ask one query at a time; an implementation may gather the queries of one tick and
 * ask ECR once per repository for many image IDs (DescribeImages / BatchGetImage) without callers changing.
 */
export interface PresenceLookup {
  locate(query: PresenceQuery): Promise<Presence>;
}

/** Target first, then the promote-from repository; absent repositories and images are "nowhere", errors throw. */
export function presenceLookup(ecr: EcrPort): PresenceLookup {
  const locatedIn = async (
    repositoryName: string,
    contentTag: string,
    knownUri?: string,
    where: { ecr: EcrPort; registryId?: string } = { ecr },
  ): Promise<LocatedImage | undefined> => {
    const image = await findImageByTag(where.ecr, repositoryName, contentTag, where.registryId);
    if (!image) return undefined;
    const repositoryUri = knownUri ?? (await describeRepository(where.ecr, repositoryName, where.registryId))?.repositoryUri;
    return repositoryUri ? { ...image, repositoryUri } : undefined;
  };
  return {
    async locate(query) {
      const here = await locatedIn(query.repositoryName, query.contentTag, query.repositoryUri);
      if (here) return { where: 'this-repository', image: here };
      const elsewhere = query.promoteFromRepository
        ? await locatedIn(query.promoteFromRepository, query.contentTag, undefined, query.source)
        : undefined;
      return elsewhere ? { where: 'other-environment', image: elsewhere } : { where: 'nowhere' };
    },
  };
}
