// The ecr-push record: where it lives, atomic writes, reading a run's records back, and the summary table.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ecrPushRecordPath,
  imageUris,
  readEcrPushRecord,
  readEcrPushRecords,
  writeEcrPushRecord,
  type EcrPushRecord,
} from './ecr-push-record';
import { formatSummary } from './summary';

const record = (over: Partial<EcrPushRecord>): EcrPushRecord => ({
  project: 'langgraph',
  repositoryName: 'p-dev-langgraph',
  repositoryUri: 'host/p-dev-langgraph',
  digest: 'sha256:0123456789abcdef0123',
  tags: ['content-1', 'latest', 'abc1234'],
  imageUris: [],
  sizeBytes: 10,
  pushedAt: '2026-01-01T00:00:10.000Z',
  outcome: 'pushed',
  seconds: 12.3,
  built: true,
  ...over,
});

describe('imageUris', () => {
  it('lists every tag URI, then the digest URI', () => {
    expect(imageUris('h/r', ['a', 'b'], 'sha256:1')).toEqual(['h/r:a', 'h/r:b', 'h/r@sha256:1']);
  });
});

describe('records on disk', () => {
  it('writes to dist/images/<projectRoot>/ecr-push.json, leaves no temp file, and reads back those since a time', async () => {
    const root = mkdtempSync(join(tmpdir(), 'report-'));
    const a = await writeEcrPushRecord(root, 'apps/a', record({ project: 'a' }));
    await writeEcrPushRecord(root, 'apps/old', record({ project: 'old', pushedAt: '2025-01-01T00:00:00.000Z' }));
    // A skipped image keeps ECR's old push time; the run that recorded it is what counts.
    await writeEcrPushRecord(
      root,
      'apps/skipped',
      record({ project: 'skipped', pushedAt: '2025-01-01T00:00:00.000Z', recordedAt: '2026-01-01T00:00:05.000Z' }),
    );
    mkdirSync(join(root, 'dist', 'images', 'empty'), { recursive: true });
    expect(a).toBe(join(root, 'dist', 'images', 'apps', 'a', 'ecr-push.json'));
    expect(ecrPushRecordPath(root, 'apps/a')).toBe(a);
    expect(readdirSync(join(root, 'dist', 'images', 'apps', 'a'))).toEqual(['ecr-push.json']);
    expect(JSON.parse(readFileSync(a, 'utf8'))).toMatchObject({ project: 'a', outcome: 'pushed' });
    const all = readEcrPushRecords(join(root, 'dist', 'images'));
    expect(all.map((r) => r.project)).toEqual(['a', 'old', 'skipped']);
    const recent = readEcrPushRecords(join(root, 'dist', 'images'), new Date('2026-01-01T00:00:00Z'));
    expect(recent.map((r) => r.project)).toEqual(['a', 'skipped']);
  });
});

describe('readEcrPushRecord', () => {
  const root = () => mkdtempSync(join(tmpdir(), 'push-record-'));

  it('reads back what was written, and undefined when the project has no record', async () => {
    const ws = root();
    await expect(readEcrPushRecord(ws, 'apps/a', 'push again')).resolves.toBeUndefined();
    const written = record({ contentTag: 'content-1', gitSha: 'abc1234' });
    await writeEcrPushRecord(ws, 'apps/a', written);
    await expect(readEcrPushRecord(ws, 'apps/a', 'push again')).resolves.toEqual(written);
  });

  it.each([
    ['not JSON', '{', /Push record .*ecr-push\.json is not valid JSON: push again\.$/],
    [
      'not a record',
      '{"project": "a"}',
      /Push record .*ecr-push\.json lacks project\/repositoryName\/repositoryUri\/digest\/tags\/outcome: push again\.$/,
    ],
  ])('refuses a file that is %s, naming it and the fix', async (_name, text, message) => {
    const ws = root();
    mkdirSync(join(ws, 'dist/images/apps/a'), { recursive: true });
    writeFileSync(ecrPushRecordPath(ws, 'apps/a'), text);
    await expect(readEcrPushRecord(ws, 'apps/a', 'push again')).rejects.toThrow(message);
  });
});

describe('formatSummary', () => {
  it('prints one aligned row per image with service, tag, digest, action and seconds, and a total line', () => {
    const table = formatSummary([
      record({}),
      record({ project: 'aws-agent-core', outcome: 'retagged', built: false, seconds: 1 }),
      record({ project: 'strands', outcome: 'promoted', built: false, seconds: 2 }),
    ]);
    expect(table.split('\n')).toEqual([
      'service         tag     digest        action              seconds',
      '--------------  ------  ------------  ------------------  -------',
      'langgraph       latest  0123456789ab  built+pushed        12.3',
      'aws-agent-core  latest  0123456789ab  skipped (retagged)  1.0',
      'strands         latest  0123456789ab  promoted            2.0',
      '3 image(s): 1 built+pushed, 1 promoted, 1 skipped (retagged); 15.3s in ecr-push tasks',
    ]);
  });
});
