// Where does this image content already live: in the repository a push goes to, in another environment's
// repository it can be promoted from, or nowhere? The one answer docker-build (skip the build) and ecr-push
// (retag, promote or push) both use, in the spirit of cdk-assets' single memoised lookup. A run planner asks for
// every task at once (locateAll): one lookup per repository, however many tasks share it.
import type { EcrPort } from '../aws/clients';
import { findImageByTag, findImagesByTags, type FoundImage } from './images';
import { describeRepository } from './repository';
import { repositoryDirectory, type RepositoryDirectory } from './repository-directory';
import { settled } from '../task/settled';

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

/** The presence seam: one answer per query and run, however many callers ask. */
export interface PresenceLookup {
  locate(query: PresenceQuery): Promise<Presence>;
  /** Answers many queries with one lookup per repository; later `locate` calls of the same queries reuse them. */
  locateAll(queries: PresenceQuery[]): Promise<Presence[]>;
}

const keyOf = (q: PresenceQuery) =>
  JSON.stringify([q.repositoryName, q.promoteFromRepository ?? '', q.contentTag, q.source ? (q.source.registryId ?? 'source') : '']);

/** Target first, then the promote-from repository; absent repositories and images are "nowhere", errors throw. */
export function presenceLookup(ecr: EcrPort, repositories: RepositoryDirectory = repositoryDirectory(ecr)): PresenceLookup {
  const answers = new Map<string, Promise<Presence>>();

  /** Every (repository, tag) asked, with one lookup per repository; the images found, keyed "repository\0tag". */
  const findAll = async (wanted: [repositoryName: string, tag: string][]) => {
    const byRepository = new Map<string, Set<string>>();
    for (const [repositoryName, tag] of wanted) byRepository.set(repositoryName, (byRepository.get(repositoryName) ?? new Set()).add(tag));
    const found = new Map<string, FoundImage>();
    await Promise.all(
      [...byRepository].map(async ([repositoryName, tags]) => {
        for (const [tag, image] of await findImagesByTags(ecr, repositoryName, [...tags])) found.set(`${repositoryName}\0${tag}`, image);
      }),
    );
    return found;
  };

  const located = async (image: FoundImage, knownUri?: string): Promise<LocatedImage | undefined> => {
    const repositoryUri = knownUri ?? (await repositories.describe(image.repositoryName))?.repositoryUri;
    return repositoryUri ? { ...image, repositoryUri } : undefined;
  };

  // A promotion source in another account or region is asked on its own, through its own port and registry id.
  const inSource = async (source: NonNullable<PresenceQuery['source']>, repositoryName: string, contentTag: string) => {
    const image = await findImageByTag(source.ecr, repositoryName, contentTag, source.registryId);
    const repositoryUri = image && (await describeRepository(source.ecr, repositoryName, source.registryId))?.repositoryUri;
    return image && repositoryUri ? { ...image, repositoryUri } : undefined;
  };

  const resolveAll = async (queries: PresenceQuery[]): Promise<Presence[]> => {
    const here = await findAll(queries.map((q) => [q.repositoryName, q.contentTag]));
    const elsewhereWanted = queries.filter(
      (q) => q.promoteFromRepository && !q.source && !here.has(`${q.repositoryName}\0${q.contentTag}`),
    );
    const elsewhere = await findAll(elsewhereWanted.map((q) => [q.promoteFromRepository as string, q.contentTag]));
    // The URIs the answers need and the callers did not know: one DescribeRepositories for all of them.
    const uriNeeded = [
      ...queries.filter((q) => !q.repositoryUri && here.has(`${q.repositoryName}\0${q.contentTag}`)).map((q) => q.repositoryName),
      ...[...elsewhere.values()].map((image) => image.repositoryName),
    ];
    await repositories.describeAll(uriNeeded);
    return Promise.all(
      queries.map(async (q): Promise<Presence> => {
        const inTarget = here.get(`${q.repositoryName}\0${q.contentTag}`);
        const target = inTarget && (await located(inTarget, q.repositoryUri));
        if (target) return { where: 'this-repository', image: target };
        if (q.source && q.promoteFromRepository) {
          const remote = await inSource(q.source, q.promoteFromRepository, q.contentTag);
          return remote ? { where: 'other-environment', image: remote } : { where: 'nowhere' };
        }
        const inOther = q.promoteFromRepository ? elsewhere.get(`${q.promoteFromRepository}\0${q.contentTag}`) : undefined;
        const other = inOther && (await located(inOther));
        return other ? { where: 'other-environment', image: other } : { where: 'nowhere' };
      }),
    );
  };

  const locateAll = (queries: PresenceQuery[]): Promise<Presence[]> => {
    const fresh = [...new Map(queries.filter((q) => !answers.has(keyOf(q))).map((q) => [keyOf(q), q])).values()];
    if (fresh.length > 0) {
      const resolved = resolveAll(fresh);
      fresh.forEach((q, i) => answers.set(keyOf(q), settled(resolved.then((all) => all[i] as Presence))));
    }
    return Promise.all(queries.map((q) => answers.get(keyOf(q)) as Promise<Presence>));
  };

  return { locateAll, locate: async (query) => (await locateAll([query]))[0] as Presence };
}
