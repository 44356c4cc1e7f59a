// A context's listing (what reaches the image, with file digests) reused while nothing in it changed, as git's index
// reuses blob hashes: every directory the walk entered keeps its mtime (no file added, removed or renamed) and every
// file that reached the image keeps its inode, size, mode, mtime and ctime. Checking that costs one lstat per path;
// listing costs reading and hashing every byte (26 MB per service in the benchmark). One file per context, in Nx's
// workspace data directory, so parallel processes never write the same file.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLUGIN_NAME } from '../records/names';
import { workspaceDataDirectory } from '../workspace-data';

/** What a listing walked: the directories it entered and the files that reached the image. */
export interface ListingObserver {
  dir(abs: string, rel: string): void;
  file(abs: string, rel: string): void;
}

export type Lister = (observe: ListingObserver) => Promise<string[]>;

export interface ListingCache {
  /** The listing of `contextDir` under the filter `filterKey` names: reused when nothing changed, else `list`ed. */
  listing(contextDir: string, filterKey: string, list: Lister): Promise<string[]>;
}

interface Stored {
  format: string;
  contextDir: string;
  filterKey: string;
  /** [path relative to the context, signature] of every directory entered and every file that reached. */
  paths: [string, string][];
  entries: string[];
}

const FORMAT = 'nx-agent-ecr/listing/v1';

/**
 * A change this recent may share its timestamp with an earlier one (file systems stamp from a coarse clock), so a
 * listing with a path this young is not stored: git's "racy" rule.
 */
export const RACY_MS = 2_000;

/** inode, size, mode, mtime and ctime in nanoseconds; undefined for a path that is gone. */
function signature(abs: string): { text: string; changedMs: number } | undefined {
  const stat = lstatSync(abs, { bigint: true, throwIfNoEntry: false });
  if (!stat) return undefined;
  const text = `${stat.ino}:${stat.size}:${stat.mode}:${stat.mtimeNs}:${stat.ctimeNs}`;
  return { text, changedMs: Number((stat.mtimeNs > stat.ctimeNs ? stat.mtimeNs : stat.ctimeNs) / 1_000_000n) };
}

function read(file: string): Stored | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Stored;
  } catch {
    return undefined;
  }
}

/** Listings stored under `directory`; one that cannot be read or written only costs a new listing. */
export function diskListingCache(directory: string, now: () => number = Date.now): ListingCache {
  return {
    async listing(contextDir, filterKey, list) {
      const file = join(directory, `${createHash('sha1').update(`${contextDir}\0${filterKey}`).digest('hex')}.json`);
      const stored = read(file);
      const valid =
        stored?.format === FORMAT &&
        stored.contextDir === contextDir &&
        stored.filterKey === filterKey &&
        stored.paths.every(([rel, seen]) => signature(join(contextDir, rel))?.text === seen);
      if (valid && stored) return stored.entries;
      const startedMs = now();
      const walked: string[] = [];
      const entries = await list({ dir: (_abs, rel) => walked.push(rel), file: (_abs, rel) => walked.push(rel) });
      // Signatures after the listing: a path changed during it is younger than the start, so nothing is stored.
      const paths: [string, string][] = [];
      for (const rel of walked) {
        const sig = signature(join(contextDir, rel));
        if (!sig || sig.changedMs >= startedMs - RACY_MS) return entries;
        paths.push([rel, sig.text]);
      }
      const partial = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(directory, { recursive: true });
        writeFileSync(partial, JSON.stringify({ format: FORMAT, contextDir, filterKey, paths, entries } satisfies Stored));
        renameSync(partial, file);
      } catch {
        rmSync(partial, { force: true }); // a cache: the listing stands without it
      }
      return entries;
    },
  };
}

/** The listings of a workspace's contexts, under Nx's workspace data directory. */
export function workspaceListings(workspaceRoot: string): ListingCache {
  return diskListingCache(join(workspaceDataDirectory(workspaceRoot), `${PLUGIN_NAME}-listings`));
}
