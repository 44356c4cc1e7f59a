// The base lookups and the context's listing run side by side; the tag is the one computeContentTag gives.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseImagesOf } from '../docker/resolve-bases';
import { computeContentTag } from './content-tag';
import { imageContent, type ContentSpec } from './image-content';
import type { ListingCache } from './listing-cache';

let root: string;
let spec: ContentSpec;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'image-content-'));
  mkdirSync(join(root, 'apps/svc'), { recursive: true });
  writeFileSync(join(root, 'apps/svc/Dockerfile'), 'FROM registry.example/base:1\nCOPY main.py /app/\n');
  writeFileSync(join(root, 'apps/svc/main.py'), 'print("hi")\n');
  spec = {
    workspaceRoot: root,
    contextDir: join(root, 'apps/svc'),
    dockerfilePath: join(root, 'apps/svc/Dockerfile'),
    dockerfile: 'apps/svc/Dockerfile',
    buildArgs: {},
    platforms: ['linux/arm64'],
  };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('imageContent', () => {
  it('lists the context while the base is looked up, and tags both as computeContentTag does', async () => {
    let listingStarted = false;
    const listings: ListingCache = {
      listing: (_dir, _key, list) => ((listingStarted = true), list({ dir: () => undefined, file: () => undefined })),
    };
    let listedBeforeAnswer: boolean | undefined;
    // The registry answers only once the listing started (or after 2 s): one after the other, it would not have.
    const lookup = async () => {
      for (let waited = 0; !listingStarted && waited < 2_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      listedBeforeAnswer ??= listingStarted;
      return DIGEST;
    };
    const content = await imageContent(spec, lookup, { listings });
    expect(listedBeforeAnswer).toBe(true);
    expect(content.bases.map((base) => base.pinned)).toEqual([`registry.example/base:1@${DIGEST}`]);
    await expect(computeContentTag({ ...spec, baseImages: baseImagesOf(content.bases) })).resolves.toBe(content.contentTag);
  });
});
