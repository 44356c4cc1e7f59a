// The image id and digest come from buildx's metadata file, whichever exporter wrote it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBuildMetadata } from './build-metadata';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'metadata-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readBuildMetadata', () => {
  test.each<[string, Record<string, string>, { imageId?: string; digest?: string }]>([
    [
      'BuildKit exporters (push, docker-container): config digest is the image id',
      { 'containerimage.config.digest': 'sha256:cfg', 'containerimage.digest': 'sha256:man' },
      { imageId: 'sha256:cfg', digest: 'sha256:man' },
    ],
    [
      'the docker driver loading into the engine: containerimage.digest is the image id',
      { 'buildx.build.ref': 'x', 'containerimage.digest': 'sha256:img' },
      { imageId: 'sha256:img' },
    ],
    ['no image exported', { 'buildx.build.ref': 'x' }, { imageId: undefined }],
  ])('%s', async (_name, metadata, expected) => {
    writeFileSync(join(dir, 'm.json'), JSON.stringify(metadata));
    await expect(readBuildMetadata(join(dir, 'm.json'))).resolves.toEqual(expected);
  });

  it('returns nothing when buildx wrote no file', async () => {
    await expect(readBuildMetadata(join(dir, 'missing.json'))).resolves.toEqual({});
  });
});
