// Graph inference's result cache, in the spirit of @nx/docker's PluginCache: an answer is reused while every file
// the inference read still hashes the same. Without it every Nx command re-parses every Dockerfile of the workspace.
import { createHash } from 'node:crypto';
import type { WorkspaceFiles } from '../workspace-files';

/** What one inference asked the workspace, and the answers: file hashes (null: not a readable file), path checks. */
export interface Observations {
  read: Record<string, string | null>;
  isFile: Record<string, boolean>;
  exists: Record<string, boolean>;
}

export interface CacheEntry {
  observed: Observations;
  value: unknown;
}

/** The stored form: entries are dropped when `build` (the plugin's code) differs. */
export interface StoredCache {
  build: string;
  entries: Record<string, CacheEntry>;
}

const hashOf = (text: string) => createHash('sha1').update(text).digest('base64');

/** `files`, with every question it answers written down. */
function recorder(files: WorkspaceFiles): { files: WorkspaceFiles; observed: Observations } {
  const observed: Observations = { read: {}, isFile: {}, exists: {} };
  return {
    observed,
    files: {
      read(file) {
        const text = files.read(file);
        observed.read[file] = text === undefined ? null : hashOf(text);
        return text;
      },
      isFile: (file) => (observed.isFile[file] = files.isFile(file)),
      exists: (path) => (observed.exists[path] = files.exists(path)),
    },
  };
}

/** Whether `files` gives every recorded answer again (a file read is compared by the hash of its text). */
function stillHolds(observed: Observations, files: WorkspaceFiles): boolean {
  for (const [file, hash] of Object.entries(observed.read)) {
    const text = files.read(file);
    if ((text === undefined ? null : hashOf(text)) !== hash) return false;
  }
  return (
    Object.entries(observed.isFile).every(([file, answer]) => files.isFile(file) === answer) &&
    Object.entries(observed.exists).every(([path, answer]) => files.exists(path) === answer)
  );
}

/** One run's view of a stored cache: answers what still holds, computes the rest, keeps only what this run used. */
export class InferenceCache {
  private readonly entries: Record<string, CacheEntry>;
  private readonly used: Record<string, CacheEntry> = {};
  hits = 0;
  misses = 0;

  constructor(
    private readonly build: string,
    stored?: StoredCache,
  ) {
    this.entries = stored?.build === build ? stored.entries : {};
  }

  /**
   * The value `compute` gave for `key` when every file it read through its `files` argument still reads the same;
   * otherwise computes it now. `compute` must read the workspace only through that argument, and return JSON data.
   */
  get<T>(key: string, files: WorkspaceFiles, compute: (files: WorkspaceFiles) => T): T {
    const entry = this.entries[key];
    if (entry && stillHolds(entry.observed, files)) {
      this.hits++;
      this.used[key] = entry;
      return entry.value as T;
    }
    this.misses++;
    const recording = recorder(files);
    const value = compute(recording.files);
    this.used[key] = { observed: recording.observed, value };
    return value;
  }

  /** Whether the stored form must be written: something was computed, or an entry went unused (a removed project). */
  get changed(): boolean {
    return this.misses > 0 || Object.keys(this.entries).some((key) => !(key in this.used));
  }

  toStored(): StoredCache {
    return { build: this.build, entries: this.used };
  }
}
