// Where graph inference keeps its result cache (Nx's workspace data directory, .nx/workspace-data by default), and
// one run over it: read, answer, write back what changed. A cache that cannot be read or written only costs time.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLUGIN_NAME } from '../records/names';
import { writeJsonAtomic } from '../records/json-file';
import { InferenceCache, type StoredCache } from './inference-cache';
import { workspaceDataDirectory } from '../workspace-data';

export type CacheKind = 'nodes' | 'dependencies';

export function cacheFile(workspaceRoot: string, kind: CacheKind): string {
  return join(workspaceDataDirectory(workspaceRoot), `${PLUGIN_NAME}-${kind}.json`);
}

/** The plugin's code as of this process: its version and, in a development checkout, the compile that made dist/. */
export function pluginBuild(packageDir = join(__dirname, '..', '..', '..')): string {
  const read = (file: string) => {
    try {
      return readFileSync(join(packageDir, file), 'utf8');
    } catch {
      return '';
    }
  };
  const version = (JSON.parse(read('package.json') || '{}') as { version?: string }).version ?? '';
  // scripts/compile.cjs's manifest: it changes with every compile that read an edited source.
  const compiled = createHash('sha1')
    .update(read(join('dist', '.compiled-from.json')))
    .digest('base64');
  return `${version}+${compiled}`;
}

function readStored(file: string): StoredCache | undefined {
  // Nx's own switch for its project graph and plugin caches.
  if (process.env['NX_CACHE_PROJECT_GRAPH'] === 'false') return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StoredCache;
  } catch {
    return undefined;
  }
}

/** Runs `infer` with the stored cache of `kind`, then stores what changed. */
export async function withInferenceCache<T>(
  workspaceRoot: string,
  kind: CacheKind,
  infer: (cache: InferenceCache) => T,
  build = pluginBuild(),
): Promise<T> {
  const file = cacheFile(workspaceRoot, kind);
  const cache = new InferenceCache(build, readStored(file));
  const result = infer(cache);
  if (cache.changed) await writeJsonAtomic(file, cache.toStored(), { compact: true }).catch(() => undefined);
  if (process.env['NX_VERBOSE_LOGGING'] === 'true') {
    console.log(`${PLUGIN_NAME}: ${kind} inference: ${cache.hits} reused from ${file}, ${cache.misses} computed`);
  }
  return result;
}
