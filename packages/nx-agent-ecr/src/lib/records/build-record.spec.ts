// The build record lives where the docker-build target declares its output, and round-trips.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildRecordPath, readBuildRecord, writeBuildRecord, type BuildRecord } from './build-record';

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'build-record-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

const record: BuildRecord = {
  project: 'langgraph',
  imageName: 'langgraph',
  localTags: ['langgraph:content-0123456789abcdef01234567', 'langgraph:latest'],
  contentTag: 'content-0123456789abcdef01234567',
  imageId: 'sha256:aa',
  digest: 'sha256:bb',
  platforms: ['linux/arm64'],
  built: true,
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('build record', () => {
  it('is at {workspaceRoot}/dist/images/{projectRoot}/build.json', () => {
    expect(buildRecordPath('/ws', 'apps/langgraph')).toBe('/ws/dist/images/apps/langgraph/build.json');
  });

  it('round-trips, creating the directory, and leaves no temp file behind', async () => {
    const path = await writeBuildRecord(root, 'apps/langgraph', record);
    expect(path).toBe(buildRecordPath(root, 'apps/langgraph'));
    await expect(readBuildRecord(root, 'apps/langgraph')).resolves.toEqual(record);
    expect(readdirSync(dirname(path))).toEqual(['build.json']);
  });

  it('reads undefined when the project was not built', async () => {
    await expect(readBuildRecord(root, 'apps/none')).resolves.toBeUndefined();
  });

  test.each([['{not json'], ['{"project":"x"}']])('names the file and the fix when the record is malformed: %s', async (text) => {
    const path = buildRecordPath(root, 'apps/x');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    await expect(readBuildRecord(root, 'apps/x')).rejects.toThrow(
      new RegExp(`^Build record ${path} .*run the docker-build target again\\.$`),
    );
  });
});
