// What an image will be made of, before anything is built: its base images resolved to digests for the target
// platforms (beside the listing of the files that reach it), then the content tag over both. Both executors ask this.
import { readFile } from 'node:fs/promises';
import type { BuildSpec } from '../docker/build-image';
import { ARCH_OF_HOST } from '../docker/probes';
import { baseImagesOf, resolveBaseImages, type DigestLookup, type ResolvedBase } from '../docker/resolve-bases';
import { contentTagOf, contextListing } from './content-tag';
import type { ListingCache } from './listing-cache';

export interface ImageContent {
  contentTag: string;
  bases: ResolvedBase[];
}

/** What BUILDPLATFORM names on this machine. */
export const HOST_PLATFORM = `linux/${ARCH_OF_HOST[process.arch] ?? process.arch}`;

/** What of a build the content depends on. */
export type ContentSpec = Pick<
  BuildSpec,
  'workspaceRoot' | 'contextDir' | 'dockerfilePath' | 'dockerfile' | 'buildArgs' | 'target' | 'platforms'
>;

export async function imageContent(
  spec: ContentSpec,
  lookup: DigestLookup,
  options: { listings?: ListingCache } = {},
): Promise<ImageContent> {
  const dockerfileText = await readFile(spec.dockerfilePath, 'utf8');
  // The base lookups (registry round trips) and the context's listing (disk and hashing) need nothing of each other.
  const [bases, listing] = await Promise.all([
    resolveBaseImages(
      {
        dockerfileText,
        dockerfile: spec.dockerfile,
        buildArgs: spec.buildArgs,
        target: spec.target,
        platforms: spec.platforms,
        hostPlatform: HOST_PLATFORM,
      },
      lookup,
    ),
    contextListing(spec, options),
  ]);
  return { contentTag: contentTagOf(listing, { ...spec, baseImages: baseImagesOf(bases) }), bases };
}
