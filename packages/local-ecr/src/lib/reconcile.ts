// At start, brings the bookkeeping in line with what the inner registry holds (the registry wins): a crash between
// the registry's 201 and the bookkeeping leaves an image or a tag only the registry knows.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { imageSize } from './image-book';
import { manifestFacts, type ManifestFacts } from './manifest';
import { getManifest, repositoryDir } from './registry-client';
import type { InnerRegistry } from './registry-process';
import { imagesOf, recordImage, type StateData } from './state';

export interface ReconcileReport {
  imagesAdded: number;
  imagesForgotten: number;
  tagsChanged: number;
}

const list = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
const readLink = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);

/** The manifests the registry holds for a repository (digest → time its link was written) and its tags. */
export function registryContents(inner: InnerRegistry, repository: string): { manifests: Map<string, number>; tags: Map<string, string> } {
  const dir = join(repositoryDir(inner, repository), '_manifests');
  const manifests = new Map<string, number>();
  for (const algorithm of list(join(dir, 'revisions'))) {
    for (const hex of list(join(dir, 'revisions', algorithm))) {
      // A deleted manifest leaves its directory behind without the link file.
      const link = join(dir, 'revisions', algorithm, hex, 'link');
      if (existsSync(link)) manifests.set(`${algorithm}:${hex}`, statSync(link).mtimeMs);
    }
  }
  const tags = new Map<string, string>();
  for (const tag of list(join(dir, 'tags'))) {
    const digest = readLink(join(dir, 'tags', tag, 'current', 'link'));
    if (digest && manifests.has(digest)) tags.set(tag, digest);
  }
  return { manifests, tags };
}

async function addMissing(state: StateData, inner: InnerRegistry, repository: string, manifests: Map<string, number>): Promise<number> {
  const images = imagesOf(state, repository);
  const fetched: { digest: string; facts: ManifestFacts; pushedAt: number }[] = [];
  for (const [digest, pushedAt] of manifests) {
    if (images.has(digest)) continue;
    const manifest = await getManifest(inner, repository, digest);
    if (manifest.status !== 200) continue;
    fetched.push({ digest, facts: manifestFacts(manifest.body, manifest.contentType), pushedAt });
  }
  // Images before indexes: an index's size is the sum of the images it lists.
  fetched.sort((a, b) => Number(a.facts.isIndex) - Number(b.facts.isIndex));
  for (const { digest, facts, pushedAt } of fetched) {
    recordImage(state, repository, {
      digest,
      sizeInBytes: imageSize(state, repository, facts),
      manifestMediaType: facts.mediaType,
      ...(facts.artifactMediaType ? { artifactMediaType: facts.artifactMediaType } : {}),
      now: Math.round(pushedAt),
    });
  }
  return fetched.length;
}

/** Makes every repository's images and tags what the registry holds; returns what changed. */
export async function reconcile(state: StateData, inner: InnerRegistry): Promise<ReconcileReport> {
  const report: ReconcileReport = { imagesAdded: 0, imagesForgotten: 0, tagsChanged: 0 };
  for (const repository of state.repositories.keys()) {
    const { manifests, tags } = registryContents(inner, repository);
    const images = imagesOf(state, repository);
    for (const digest of [...images.keys()]) {
      if (manifests.has(digest)) continue;
      images.delete(digest);
      report.imagesForgotten += 1;
    }
    report.imagesAdded += await addMissing(state, inner, repository, manifests);
    for (const image of images.values()) {
      const onDisk = [...tags].filter(([, digest]) => digest === image.digest).map(([tag]) => tag);
      const kept = image.tags.filter((tag) => onDisk.includes(tag));
      const added = onDisk.filter((tag) => !kept.includes(tag)).sort();
      report.tagsChanged += image.tags.length - kept.length + added.length;
      image.tags = [...kept, ...added];
    }
  }
  return report;
}

export const changed = (report: ReconcileReport) => report.imagesAdded + report.imagesForgotten + report.tagsChanged > 0;
