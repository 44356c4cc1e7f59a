// How an operation sees one repository's images: writers see the bookkeeping, readers also the read-after-write lag.
import type { ServerContext } from './context';
import { imagesOf, imageOfTag, type ImageRecord, type StateData } from './state';

export interface ImageView {
  byDigest(digest: string): ImageRecord | undefined;
  byTag(tag: string): ImageRecord | undefined;
  /** The tags this view shows on an image. */
  tagsOf(image: ImageRecord): string[];
  /** Every image, oldest push first. */
  all(): ImageRecord[];
}

const sorted = (state: StateData, repository: string) => [...imagesOf(state, repository).values()].sort((a, b) => a.pushedAt - b.pushedAt);

export function writerView(state: StateData, repository: string): ImageView {
  return {
    byDigest: (digest) => state.images.get(repository)?.get(digest),
    byTag: (tag) => imageOfTag(state, repository, tag),
    tagsOf: (image) => image.tags,
    all: () => sorted(state, repository),
  };
}

/** DescribeImages, ListImages and BatchGetImage: a tag hidden by a `hideTagMs` fault still shows its old image. */
export function readerView(context: ServerContext, repository: string): ImageView {
  const writer = writerView(context.state, repository);
  const now = context.now();
  return {
    byDigest: writer.byDigest,
    byTag: (tag) => {
      const digest = context.lag.digestOfTag(repository, tag, writer.byTag(tag)?.digest, now);
      return digest === undefined ? undefined : writer.byDigest(digest);
    },
    tagsOf: (image) => context.lag.tagsOf(repository, image, imagesOf(context.state, repository).values(), now),
    all: writer.all,
  };
}
