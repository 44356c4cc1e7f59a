// The content tag: a stable hash of everything that reaches an image (Dockerfile, context files, args, target, platforms).
import ignore from '@balena/dockerignore';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';

export interface ContentTagInput {
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
const FORMAT = 'nx-agent-ecr/content-tag/v1';

/** `content-<24 hex>`; see contracts.md. Timestamps, listing order and ignored files do not affect it. */
export async function computeContentTag(input: ContentTagInput): Promise<string> {
  const rules = await readIgnoreRules(input.contextDir, input.dockerfilePath);
  const entries = await listContext(input.contextDir, rules);
  const hash = createHash('sha256');
  const field = (name: string, value: string) => hash.update(`${name}\0${value.length}\0${value}\n`);
  field('format', FORMAT);
  field('dockerfile', await readFile(input.dockerfilePath, 'utf8'));
  field('target', input.target ?? '');
  field('platforms', [...input.platforms].sort().join(','));
  const args = Object.entries(input.buildArgs ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
  for (const [name, value] of args.sort(([a], [b]) => compare(a, b))) field('arg', `${name}=${value}`);
  for (const entry of entries) field('entry', entry);
  return `content-${hash.digest('hex').slice(0, 24)}`;
}

/**
 * The ignore file BuildKit uses: `<Dockerfile>.dockerignore` beside the Dockerfile wins over `<context>/.dockerignore`.
 */
export function ignoreFileFor(contextDir: string, dockerfilePath: string): string | undefined {
  const specific = join(dirname(dockerfilePath), `${basename(dockerfilePath)}.dockerignore`);
  if (existsSync(specific)) return specific;
  const general = join(contextDir, '.dockerignore');
  return existsSync(general) ? general : undefined;
}

export interface IgnoreRules {
  ignores(relativePath: string): boolean;
  /** Cleaned `!` patterns, split into segments: what could re-include a path below an ignored directory. */
  exceptions: string[][];
}

export async function readIgnoreRules(contextDir: string, dockerfilePath: string): Promise<IgnoreRules> {
  const file = ignoreFileFor(contextDir, dockerfilePath);
  const lines = file ? (await readFile(file, 'utf8')).split(/\r?\n/) : [];
  const matcher = ignore({ ignorecase: false }).add(lines);
  const exceptions = lines
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!') && !line.startsWith('#'))
    .map((line) => cleanPattern(line.slice(1)).split('/'))
    .filter((segments) => segments.join('') !== '');
  return { ignores: (path) => matcher.ignores(path), exceptions };
}

function cleanPattern(pattern: string): string {
  return pattern
    .trim()
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

/**
 * Could an exception re-include something at or below the ignored directory `dir`? Conservative: any wildcard in
 * the segments that overlap counts as a possible match, so we only prune what certainly stays out.
 */
export function mayReinclude(dirSegments: string[], exceptions: string[][]): boolean {
  return exceptions.some((pattern) => {
    for (let i = 0; i < Math.min(pattern.length, dirSegments.length); i++) {
      const segment = pattern[i] ?? '';
      if (segment.includes('**') || /[*?[\\]/.test(segment)) return true;
      if (segment !== dirSegments[i]) return false;
    }
    return true;
  });
}

/**
 * Sorted descriptions of the context entries BuildKit would send: `F <path> <x|-> <sha256>`, `L <path> <target>`,
 * `D <path>`. Directories that are ignored and cannot be re-included are not even read.
 */
export async function listContext(contextDir: string, rules: IgnoreRules): Promise<string[]> {
  const entries: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const children = await readdir(dir, { withFileTypes: true });
    await Promise.all(
      children.map(async (child) => {
        const abs = join(dir, child.name);
        const rel = relative(contextDir, abs).split('\\').join('/');
        const ignored = rules.ignores(rel);
        if (child.isDirectory()) {
          if (ignored && !mayReinclude(rel.split('/'), rules.exceptions)) return;
          if (!ignored) entries.push(`D ${rel}`);
          await walk(abs);
        } else if (!ignored) {
          entries.push(await describeFile(abs, rel));
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
  const digest = createHash('sha256').update(await readFile(abs)).digest('hex');
  return `F ${rel} ${stat.mode & 0o111 ? 'x' : '-'} ${digest}`;
}

// The walk is parallel; bound the files read at once so a large context does not hit EMFILE.
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
