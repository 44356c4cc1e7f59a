// A reused listing gives the same content tag as a fresh one: any change the walk could see makes it list again.
import { chmodSync, linkSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { computeContentTag, type ContentTagInput } from './content-tag';
import { diskListingCache, RACY_MS, type ListingCache } from './listing-cache';

let root: string;
let cacheDir: string;
let listed: number;
const write = (rel: string, text: string) => {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
};
const input = (): ContentTagInput => ({
  workspaceRoot: root,
  contextDir: join(root, 'apps/svc'),
  dockerfilePath: join(root, 'apps/svc/Dockerfile'),
  platforms: ['linux/arm64'],
});

/** Counts the listings the cache could not reuse whole, and the files they read again (`read`, by path). */
let read: string[];
function counting(cache: ListingCache): ListingCache {
  return {
    listing: (contextDir, filterKey, list) =>
      cache.listing(contextDir, filterKey, (observe) => {
        listed++;
        const known = (abs: string, rel: string) => {
          const entry = observe.known?.(abs, rel);
          if (!entry) read.push(rel);
          return entry;
        };
        return list({ ...observe, known });
      }),
  };
}

// Every path looks older than the racy window, so each listing may be stored.
const settled = () => counting(diskListingCache(cacheDir, () => Date.now() + 10 * RACY_MS));

/** The tag through the cache, checked against the tag computed without it. */
async function cachedTag(cache: ListingCache): Promise<string> {
  const tag = await computeContentTag(input(), { listings: cache });
  await expect(computeContentTag(input())).resolves.toBe(tag);
  return tag;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'listing-cache-'));
  cacheDir = join(root, '.nx/workspace-data/listings');
  listed = 0;
  read = [];
  write('apps/svc/Dockerfile', 'FROM base\nCOPY src /app\n');
  write('apps/svc/src/main.py', 'print("hi")\n');
  write('apps/svc/src/pkg/util.py', 'X = 1\n');
  write('apps/svc/notes.md', 'not read by the Dockerfile\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('diskListingCache', () => {
  it('reuses the listing when nothing changed: one walk for two tags', async () => {
    const cache = settled();
    const first = await cachedTag(cache);
    await expect(cachedTag(cache)).resolves.toBe(first);
    expect(listed).toBe(1);
  });

  it.each([
    ['a reaching file changes (same size)', () => write('apps/svc/src/main.py', 'print("ho")\n')],
    ['a file is added to an entered directory', () => write('apps/svc/src/pkg/new.py', 'Y = 2\n')],
    ['a file is removed', () => rmSync(join(root, 'apps/svc/src/pkg/util.py'))],
    ['a file is renamed', () => renameSync(join(root, 'apps/svc/src/pkg/util.py'), join(root, 'apps/svc/src/pkg/util2.py'))],
    ['a file becomes executable', () => chmodSync(join(root, 'apps/svc/src/main.py'), 0o755)],
    [
      'a hard link of a reaching file is written through',
      () => {
        linkSync(join(root, 'apps/svc/src/main.py'), join(root, 'elsewhere.py'));
        writeFileSync(join(root, 'elsewhere.py'), 'print("hx")\n');
      },
    ],
    ['the Dockerfile reads another directory', () => write('apps/svc/Dockerfile', 'FROM base\nCOPY . /app\n')],
    ['a .dockerignore drops a file', () => write('apps/svc/.dockerignore', 'src/pkg\n')],
  ])('lists again, and the tag follows, when %s', async (_what, change) => {
    const cache = settled();
    const before = await cachedTag(cache);
    change();
    const after = await cachedTag(cache);
    expect(after).not.toBe(before);
    expect(listed).toBe(2);
  });

  it('reuses only the file listing: a base image repointed to another digest still changes the tag', async () => {
    const cache = settled();
    const base = (digest: string) => ({ ...input(), baseImages: [{ ref: 'python:3.11', platform: 'linux/arm64', digest }] });
    const before = await computeContentTag(base(`sha256:${'a'.repeat(64)}`), { listings: cache });
    const after = await computeContentTag(base(`sha256:${'b'.repeat(64)}`), { listings: cache });
    expect(after).not.toBe(before);
    await expect(computeContentTag(base(`sha256:${'b'.repeat(64)}`))).resolves.toBe(after);
    expect(listed).toBe(1);
  });

  it('does not list again when a file the image never reads changes', async () => {
    const cache = settled();
    const before = await cachedTag(cache);
    write('apps/svc/notes.md', 'still not read\n');
    await expect(cachedTag(cache)).resolves.toBe(before);
    expect(listed).toBe(1);
  });

  it('reuses nothing of a path changed within the racy window (its timestamp may repeat): every file is read again', async () => {
    const cache = counting(diskListingCache(cacheDir));
    await cachedTag(cache);
    await cachedTag(cache);
    expect(listed).toBe(2);
    expect(read.sort()).toEqual(['src/main.py', 'src/main.py', 'src/pkg/util.py', 'src/pkg/util.py']);
  });

  it.each([
    ['changes (same size)', () => write('apps/svc/src/main.py', 'print("ho")\n'), ['src/main.py']],
    ['is added', () => write('apps/svc/src/pkg/new.py', 'Y = 2\n'), ['src/pkg/new.py']],
    ['is removed', () => rmSync(join(root, 'apps/svc/src/main.py')), []],
  ])('when a file %s, the walk reads again only what it cannot reuse', async (_what, change, again) => {
    const cache = settled();
    const before = await cachedTag(cache);
    read = [];
    change();
    await expect(cachedTag(cache)).resolves.not.toBe(before);
    expect(listed).toBe(2);
    expect(read).toEqual(again);
  });

  it('lists again when the stored listing is unreadable, and replaces it', async () => {
    const cache = settled();
    const tag = await cachedTag(cache);
    for (const file of readdirSync(cacheDir)) writeFileSync(join(cacheDir, file), '{ not json');
    await expect(cachedTag(cache)).resolves.toBe(tag);
    await expect(cachedTag(cache)).resolves.toBe(tag);
    expect(listed).toBe(2);
    expect(readdirSync(cacheDir).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps one file per context and filter, so contexts never share a listing', async () => {
    write('apps/other/Dockerfile', 'FROM base\nCOPY src /app\n');
    write('apps/other/src/main.py', 'print("other")\n');
    const cache = settled();
    const svc = await cachedTag(cache);
    const other = await computeContentTag(
      { ...input(), contextDir: join(root, 'apps/other'), dockerfilePath: join(root, 'apps/other/Dockerfile') },
      { listings: cache },
    );
    expect(other).not.toBe(svc);
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });
});
