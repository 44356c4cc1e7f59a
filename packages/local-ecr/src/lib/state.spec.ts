import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  digestOfTag,
  emptyState,
  forgetImage,
  loadState,
  recordImage,
  removeTag,
  saveState,
  STATE_FILE,
  type RepositoryRecord,
} from './state';

const repository = (name: string): RepositoryRecord => ({
  name,
  createdAt: 1,
  imageTagMutability: 'MUTABLE',
  scanOnPush: false,
  encryptionType: 'AES256',
});

const push = (digest: string, tag: string | undefined, now = 1) => ({
  digest,
  ...(tag ? { tag } : {}),
  sizeInBytes: 10,
  manifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
  now,
});

describe('image bookkeeping', () => {
  it('moves a tag off the image that had it, which stays as an untagged image (as in ECR)', () => {
    const state = emptyState();
    recordImage(state, 'app', push('sha256:a', 'latest'));
    recordImage(state, 'app', push('sha256:b', 'latest'));
    expect(digestOfTag(state, 'app', 'latest')).toBe('sha256:b');
    expect(state.images.get('app')?.get('sha256:a')?.tags).toEqual([]);
  });

  it('keeps the first push time and size when a known digest gets another tag', () => {
    const state = emptyState();
    recordImage(state, 'app', push('sha256:a', 'one', 100));
    const image = recordImage(state, 'app', push('sha256:a', 'two', 200));
    expect(image).toMatchObject({ tags: ['one', 'two'], pushedAt: 100 });
  });

  it('removes one tag, and forgets an image with all its tags', () => {
    const state = emptyState();
    recordImage(state, 'app', push('sha256:a', 'one'));
    recordImage(state, 'app', push('sha256:a', 'two'));
    removeTag(state, 'app', 'one');
    expect(state.images.get('app')?.get('sha256:a')?.tags).toEqual(['two']);
    forgetImage(state, 'app', 'sha256:a');
    expect(digestOfTag(state, 'app', 'two')).toBeUndefined();
  });
});

describe('state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-ecr-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a missing file as an empty state', () => {
    expect(loadState(dir)).toEqual(emptyState());
  });

  it('round-trips through an atomic write and leaves no temporary file', () => {
    const state = emptyState();
    state.repositories.set('team/app', repository('team/app'));
    recordImage(state, 'team/app', push('sha256:a', 'v1'));
    saveState(dir, state);
    expect(loadState(dir)).toEqual(state);
    expect(readFileSync(join(dir, STATE_FILE), 'utf8')).toContain('team/app');
    expect(readdirSync(dir)).toEqual([STATE_FILE]);
  });

  it('drops entries under reserved or invalid names, and fields it does not know, without touching any prototype', () => {
    const text =
      `{"version":1,"repositories":{"__proto__":{"imageTagMutability":"IMMUTABLE"},"constructor":{"name":"constructor"},` +
      `"Bad":{},"ok-app":{"name":"ok-app","createdAt":5,"lifecyclePolicyText":"{}","__proto__":{"polluted":true}}},` +
      `"images":{"ok-app":{"sha256:a":{"tags":["v1"],"sizeInBytes":3}},"ghost":{"sha256:b":{"tags":[]}}},"tokens":{"x":1}}`;
    writeFileSync(join(dir, STATE_FILE), text);
    const state = loadState(dir);
    expect([...state.repositories.keys()]).toEqual(['ok-app']);
    expect([...state.images.keys()]).toEqual(['ok-app']);
    expect(state.repositories.get('ok-app')).toEqual({
      name: 'ok-app',
      createdAt: 5,
      imageTagMutability: 'MUTABLE',
      scanOnPush: false,
      encryptionType: 'AES256',
      lifecyclePolicyText: '{}',
    });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['imageTagMutability']).toBeUndefined();
  });

  it('refuses a state file that is not JSON, saying what to do', () => {
    writeFileSync(join(dir, STATE_FILE), '{"version":1,');
    expect(() => loadState(dir)).toThrow(/is not valid JSON .*move the directory away/);
  });

  it('refuses a state file of an unknown version, saying what to do', () => {
    writeFileSync(join(dir, STATE_FILE), JSON.stringify({ version: 9 }));
    expect(() => loadState(dir)).toThrow(/unknown state version 9; move the directory away/);
  });
});
