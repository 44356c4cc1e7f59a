// The content tag: a stable hash of everything that reaches an image (Dockerfile, ignore file, the context files the
// Dockerfile reads, build args, target, platforms, and the digests its base images resolve to). Which files reach it
// is lib/docker/context.ts's answer, the one graph inference gives Nx, so the tag changes exactly when Nx calls the
// image target affected (a repointed base is the one change Nx cannot see: it is outside the workspace).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { contextFilter, readDockerContext, type ContextFilter } from '../docker/context';
import type { BaseImage } from '../docker/resolve-bases';
import { diskWorkspaceFiles } from '../workspace-files';
import type { ListingCache, ListingObserver } from './listing-cache';

export interface ContentTagInput {
  /** What each base image reference resolves to (lib/docker/resolve-bases.ts): a repointed base is new content. */
  baseImages?: BaseImage[];
  workspaceRoot: string;
  /** Absolute build context directory. */
  contextDir: string;
  /** Absolute Dockerfile path. */
  dockerfilePath: string;
  buildArgs?: Record<string, string | undefined>;
  target?: string;
  platforms: string[];
}

export const CONTENT_TAG_PATTERN = /^content-[0-9a-f]{24}$/;
// Bump when the hashed representation changes, so old tags never collide with new meanings.
// v2: only the context files the Dockerfile reads, plus the ignore file (v1 hashed every file BuildKit sends).
// v3: the digests the base images resolve to for the target platforms.
const FORMAT = 'nx-agent-ecr/content-tag/v3';

/** What reaches the image from the context, read and hashed: the costly half of a content tag (every byte is read). */
export interface ContextListing {
  dockerfileText: string;
  ignoreFile?: string;
  ignoreText: string;
  /** `F <path> <x|-> <sha256>`, `L <path> <target>`, `D <path>`, sorted by path (listContext). */
  entries: string[];
}

/** The context's listing: it needs no base image, so it runs beside their lookups (image-content.ts). */
export async function contextListing(
  input: Omit<ContentTagInput, 'baseImages'>,
  options: { listings?: ListingCache } = {},
): Promise<ContextListing> {
  const workspacePath = (abs: string) => relative(input.workspaceRoot, abs).split('\\').join('/');
  const spec = { dockerfile: workspacePath(input.dockerfilePath), contextDir: workspacePath(input.contextDir) };
  const context = readDockerContext(spec, diskWorkspaceFiles(input.workspaceRoot));
  const filter = contextFilter(context);
  // The listing depends on the context directory and the filter alone: the ignore rules and what the Dockerfile reads.
  const filterKey = JSON.stringify([context.rules, context.sources.map((source) => source.path)]);
  const list = (observe?: ListingObserver) => listContext(input.contextDir, filter, observe);
  const entries = options.listings ? await options.listings.listing(input.contextDir, filterKey, list) : await list();
  return { dockerfileText: context.dockerfileText, ignoreFile: context.ignoreFile, ignoreText: context.ignoreText, entries };
}

/**
 * `content-<24 hex>` (the format docs/executors/docker-arm64-build.md describes) over a context's listing and the
 * build's settings. Timestamps, listing order, ignored files and context files the Dockerfile never reads do not
 * affect it.
 */
export function contentTagOf(listing: ContextListing, input: ContentTagInput): string {
  const hash = createHash('sha256');
  const field = (name: string, value: string) => hash.update(`${name}\0${value.length}\0${value}\n`);
  field('format', FORMAT);
  field('dockerfile', listing.dockerfileText);
  field('ignore-file', listing.ignoreFile ?? '');
  field('ignore-rules', listing.ignoreText);
  field('target', input.target ?? '');
  field('platforms', [...input.platforms].sort().join(','));
  const args = Object.entries(input.buildArgs ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
  for (const [name, value] of args.sort(([a], [b]) => compare(a, b))) field('arg', `${name}=${value}`);
  const bases = (input.baseImages ?? []).map((base) => `${base.ref} ${base.platform} ${base.digest}`);
  for (const base of [...new Set(bases)].sort(compare)) field('base', base);
  for (const entry of listing.entries) field('entry', entry);
  return `content-${hash.digest('hex').slice(0, 24)}`;
}

/** The content tag of `input`: its context listed, then hashed with the settings and base digests. */
export async function computeContentTag(input: ContentTagInput, options: { listings?: ListingCache } = {}): Promise<string> {
  return contentTagOf(await contextListing(input, options), input);
}

/**
 * Sorted descriptions of the context entries that reach the image: `F <path> <x|-> <sha256>`, `L <path> <target>`,
 * `D <path>`. Directories nothing below which can reach the image are not even read.
 */
export async function listContext(contextDir: string, filter: ContextFilter, observe?: ListingObserver): Promise<string[]> {
  const entries: string[] = [];
  observe?.dir(contextDir, '');
  const walk = async (dir: string): Promise<void> => {
    const children = await readdir(dir, { withFileTypes: true });
    await Promise.all(
      children.map(async (child) => {
        const abs = join(dir, child.name);
        const rel = relative(contextDir, abs).split('\\').join('/');
        if (child.isDirectory()) {
          if (!filter.mayHoldReaching(rel)) return;
          if (filter.reaches(rel)) entries.push(`D ${rel}`);
          observe?.dir(abs, rel);
          await walk(abs);
        } else if (filter.reaches(rel)) {
          observe?.file(abs, rel);
          entries.push(observe?.known?.(abs, rel) ?? (await describeFile(abs, rel)));
        }
      }),
    );
  };
  await walk(contextDir);
  // By path, so the order is the tree's and not the walk's.
  return entries.sort((a, b) => compare(a.slice(2), b.slice(2)));
}

async function describeFile(abs: string, rel: string): Promise<string> {
  await openFiles.acquire();
  try {
    return await describe(abs, rel);
  } finally {
    openFiles.release();
  }
}

async function describe(abs: string, rel: string): Promise<string> {
  const stat = await lstat(abs);
  if (stat.isSymbolicLink()) return `L ${rel} ${await readlink(abs)}`;
  if (!stat.isFile()) return `O ${rel}`;
  return `F ${rel} ${stat.mode & 0o111 ? 'x' : '-'} ${await fileDigest(abs, stat.size)}`;
}

/** Files up to this size are read whole: one read instead of a stream's several calls (most context files are small). */
export const WHOLE_READ_BYTES = 256 * 1024;

/**
 * sha256 of a file: read whole when `size` says it is small, else streamed, so memory stays at one read buffer per
 * open file (64 at most) whatever the file's size (a whole-file read fails past 2 GiB).
 */
export async function fileDigest(path: string, size = Infinity): Promise<string> {
  const hash = createHash('sha256');
  if (size <= WHOLE_READ_BYTES) return hash.update(await readFile(path)).digest('hex');
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

// The walk is parallel; bound the files read at once so a large context does not hit EMFILE (and bounds memory).
const openFiles = semaphore(64);

function semaphore(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    acquire: () =>
      new Promise<void>((resolve) => {
        if (active < limit) {
          active++;
          resolve();
        } else {
          waiting.push(resolve);
        }
      }),
    release: () => {
      const next = waiting.shift();
      if (next) next();
      else active--;
    },
  };
}

// Byte order, not locale order: the same on every machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
