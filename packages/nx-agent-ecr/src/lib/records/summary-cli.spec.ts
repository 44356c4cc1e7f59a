// bin/summary.js: the table a multi-project run ends with, read from the ecr-push records on disk.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEcrPushRecord, type EcrPushRecord } from './ecr-push-record';

const cli = join(__dirname, '..', '..', '..', 'bin', 'summary.js');
const base: EcrPushRecord = {
  project: 'a',
  repositoryName: 'p-dev-a',
  repositoryUri: 'h/p-dev-a',
  digest: 'sha256:abcdefabcdef00',
  tags: ['content-1', 'latest'],
  imageUris: ['h/p-dev-a:latest', 'h/p-dev-a@sha256:abcdefabcdef00'],
  sizeBytes: 1,
  pushedAt: '2026-03-01T00:00:00.000Z',
  outcome: 'pushed',
  seconds: 3,
  built: true,
};

describe('nx-agent-ecr-summary', () => {
  const root = mkdtempSync(join(tmpdir(), 'summary-'));
  beforeAll(async () => {
    await writeEcrPushRecord(root, 'apps/a', base);
    await writeEcrPushRecord(root, 'apps/b', { ...base, project: 'b', outcome: 'retagged', pushedAt: '2025-01-01T00:00:00.000Z' });
  });
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, '--root', root, ...args], { encoding: 'utf8' });

  it('prints the image URIs and the table of the records written since --since', () => {
    const out = run('--since', '2026-01-01T00:00:00Z');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('h/p-dev-a@sha256:abcdefabcdef00');
    expect(out.stdout).toMatch(/^a\s+latest\s+abcdefabcdef\s+built\+pushed\s+3\.0$/m);
    expect(out.stdout).not.toMatch(/^b\s/m);
  });

  it('prints every record without --since', () => {
    expect(run().stdout).toMatch(/^b\s+latest\s+abcdefabcdef\s+skipped \(retagged\)/m);
  });

  it('rejects a --since that is not a time, in one line', () => {
    const out = run('--since', 'yesterday-ish');
    expect(out.status).toBe(2);
    expect(out.stderr.trim()).toBe('--since "yesterday-ish" is not a time: pass an ISO time (date -u +%FT%TZ) or epoch milliseconds.');
  });
});
