// A context's listing (what reaches the image, with file digests) reused as git's index reuses blob hashes: whole,
// while every directory the walk entered keeps its mtime (no file added, removed or renamed) and every file that
// reached the image keeps its inode, size, mode, mtime and ctime — one lstat per path; otherwise the context is walked
// again, but a file whose signature is the stored one keeps its stored digest, so one edited file is the one file read
// and hashed again (listing everything costs reading every byte: 26 MB per service in the benchmark). One file per
// context, in Nx's workspace data directory, so parallel processes never write the same file.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLUGIN_NAME } from '../records/names';
import { workspaceDataDirectory } from '../workspace-data';

/** What a listing walked: the directories it entered and the files that reached the image. */
export interface ListingObserver {
  dir(abs: string, rel: string): void;
  file(abs: string, rel: string): void;
  /** A file's entry from the stored listing while its signature is the stored one: it need not be read again. */
  known?(abs: string, rel: string): string | undefined;
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
  /** Every walked path is in `paths`: the listing may be reused whole while they all keep their signatures. */
  complete: boolean;
  /** [path relative to the context, signature] of every directory entered and every file that reached. */
  paths: [string, string][];
  entries: string[];
}

const FORMAT = 'nx-agent-ecr/listing/v2';

/** [path, entry] of each file entry, `F <path> <x|-> <sha256>` (a path may hold spaces: read from both ends). */
const FILE_ENTRY_TAIL = ' x '.length + 64;
const fileEntries = (entries: string[]): [string, string][] =>
  entries.filter((entry) => entry.startsWith('F ')).map((entry) => [entry.slice(2, entry.length - FILE_ENTRY_TAIL), entry]);

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
      const found = read(file);
      const stored = found?.format === FORMAT && found.contextDir === contextDir && found.filterKey === filterKey ? found : undefined;
      if (stored?.complete && stored.paths.every(([rel, seen]) => signature(join(contextDir, rel))?.text === seen)) return stored.entries;
      // A file entry is reusable while its path keeps the signature stored beside it (a racy path has none).
      const seen = new Map(stored?.paths);
      const reusable = new Map(fileEntries(stored?.entries ?? []));
      const startedMs = now();
      const walked: string[] = [];
      const entries = await list({
        dir: (_abs, rel) => walked.push(rel),
        file: (_abs, rel) => walked.push(rel),
        known: (abs, rel) => {
          const signed = seen.get(rel);
          return signed !== undefined && signature(abs)?.text === signed ? reusable.get(rel) : undefined;
        },
      });
      // Signatures after the listing: a path changed during it, or so recently that its timestamp may repeat (git's
      // "racy" rule), is not stored, and then the listing is not reused whole either.
      const paths: [string, string][] = [];
      let complete = true;
      for (const rel of walked) {
        const sig = signature(join(contextDir, rel));
        if (!sig || sig.changedMs >= startedMs - RACY_MS) {
          complete = false;
          continue;
        }
        paths.push([rel, sig.text]);
      }
      const partial = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(directory, { recursive: true });
        writeFileSync(partial, JSON.stringify({ format: FORMAT, contextDir, filterKey, complete, paths, entries } satisfies Stored));
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
