// What an image will be made of, before anything is built: its base images resolved to digests for the target
// platforms, then the content tag over them and the files that reach it. Both executors ask this.
import { readFile } from 'node:fs/promises';
import type { BuildSpec } from '../docker/build-image';
import { ARCH_OF_HOST } from '../docker/probes';
import { baseImagesOf, resolveBaseImages, type DigestLookup, type ResolvedBase } from '../docker/resolve-bases';
import { computeContentTag } from './content-tag';
import type { ListingCache } from './listing-cache';

export interface ImageContent {
  contentTag: string;
  bases: ResolvedBase[];
}

/** What BUILDPLATFORM names on this machine. */
export const HOST_PLATFORM = `linux/${ARCH_OF_HOST[process.arch] ?? process.arch}`;

export async function imageContent(
  spec: BuildSpec,
  lookup: DigestLookup,
  options: { listings?: ListingCache } = {},
): Promise<ImageContent> {
  const dockerfileText = await readFile(spec.dockerfilePath, 'utf8');
  const bases = await resolveBaseImages(
    {
      dockerfileText,
      dockerfile: spec.dockerfile,
      buildArgs: spec.buildArgs,
      target: spec.target,
      platforms: spec.platforms,
      hostPlatform: HOST_PLATFORM,
    },
    lookup,
  );
  const contentTag = await computeContentTag({ ...spec, baseImages: baseImagesOf(bases) }, options);
  return { contentTag, bases };
}
