// Read-after-write lag (a fault hook): for a while after a tag write, readers see the tag where it was before.
import type { ImageRecord } from './state';

interface Lagging {
  until: number;
  /** The digest the write pointed the tag at. */
  digest: string;
  /** Where the tag pointed before the write (undefined: it did not exist). */
  previous?: string;
}

const key = (repository: string, tag: string) => `${repository}\n${tag}`;

export class ReadLag {
  private readonly hidden = new Map<string, Lagging>();

  hide(repository: string, tag: string, lagging: Lagging): void {
    this.hidden.set(key(repository, tag), lagging);
  }

  /** The lag on a tag, if it is still hidden at `now` (expired entries are dropped as they are met). */
  private lagOf(repository: string, tag: string, now: number): Lagging | undefined {
    const entry = this.hidden.get(key(repository, tag));
    if (entry && entry.until <= now) this.hidden.delete(key(repository, tag));
    return entry && entry.until > now ? entry : undefined;
  }

  /** The digest a reader sees for a tag: `current` unless the tag lags, then its previous digest (or none). */
  digestOfTag(repository: string, tag: string, current: string | undefined, now: number): string | undefined {
    const lag = this.lagOf(repository, tag, now);
    return lag && lag.digest === current ? lag.previous : current;
  }

  /** The tags of an image as a reader sees them: lagging tags stay on the image they were on before. */
  tagsOf(repository: string, image: ImageRecord, allImages: Iterable<ImageRecord>, now: number): string[] {
    if (this.hidden.size === 0) return image.tags;
    const visible = image.tags.filter((tag) => this.digestOfTag(repository, tag, image.digest, now) === image.digest);
    for (const other of allImages) {
      for (const tag of other.tags) {
        if (other !== image && this.digestOfTag(repository, tag, other.digest, now) === image.digest) visible.push(tag);
      }
    }
    return visible;
  }

  clear(): void {
    this.hidden.clear();
  }
}
