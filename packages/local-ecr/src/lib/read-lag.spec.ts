import { ReadLag } from './read-lag';
import type { ImageRecord } from './state';

const image = (digest: string, tags: string[]): ImageRecord => ({ digest, tags, sizeInBytes: 1, pushedAt: 1, manifestMediaType: 'x' });

describe('read-after-write lag', () => {
  it('shows a moved tag on its old image until the lag ends, then on the new one', () => {
    const lag = new ReadLag();
    const old = image('sha256:old', []);
    const fresh = image('sha256:new', ['v1']);
    lag.hide('app', 'v1', { until: 100, digest: 'sha256:new', previous: 'sha256:old' });
    expect(lag.digestOfTag('app', 'v1', 'sha256:new', 99)).toBe('sha256:old');
    expect(lag.tagsOf('app', fresh, [old, fresh], 99)).toEqual([]);
    expect(lag.tagsOf('app', old, [old, fresh], 99)).toEqual(['v1']);
    expect(lag.digestOfTag('app', 'v1', 'sha256:new', 100)).toBe('sha256:new');
    expect(lag.tagsOf('app', fresh, [old, fresh], 100)).toEqual(['v1']);
  });

  it('hides a brand-new tag entirely, and only in its own repository', () => {
    const lag = new ReadLag();
    lag.hide('app', 'v2', { until: 100, digest: 'sha256:new' });
    expect(lag.digestOfTag('app', 'v2', 'sha256:new', 50)).toBeUndefined();
    expect(lag.digestOfTag('other', 'v2', 'sha256:new', 50)).toBe('sha256:new');
  });

  it('stops hiding a tag that was written again since (the lag belongs to that one write)', () => {
    const lag = new ReadLag();
    lag.hide('app', 'v1', { until: 100, digest: 'sha256:new', previous: 'sha256:old' });
    expect(lag.digestOfTag('app', 'v1', 'sha256:newer', 50)).toBe('sha256:newer');
  });
});
