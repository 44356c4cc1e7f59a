// The one table that ends a multi-project ecr-push run: service, tag, digest, what happened, seconds.
import { isFailureRecord, type EcrPushRecordFile } from './ecr-push-record';

/** What happened to the image: skipped (nothing moved), built (and pushed), pushed (an existing local build), … */
export function action(record: EcrPushRecordFile): string {
  if (isFailureRecord(record)) return record.outcome === 'failed' ? 'FAILED' : 'did not finish';
  if (record.outcome === 'pushed') return record.built ? 'built+pushed' : 'pushed';
  if (record.outcome === 'retagged') return 'skipped (retagged)';
  return record.outcome;
}

/** One table: service, tag, digest, what happened, seconds. */
export function formatSummary(records: EcrPushRecordFile[]): string {
  const header = ['service', 'tag', 'digest', 'action', 'seconds'];
  const rows = records.map((r) => [
    r.project,
    isFailureRecord(r) ? '-' : (r.tags.find((t) => !t.startsWith('content-')) ?? r.tags[0] ?? ''),
    !isFailureRecord(r) && r.digest ? r.digest.replace(/^sha256:/, '').slice(0, 12) : '-',
    action(r),
    r.seconds.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const total = records.reduce((sum, r) => sum + r.seconds, 0);
  const counts = ['built+pushed', 'pushed', 'promoted', 'skipped (retagged)', 'skipped', 'dry-run', 'FAILED', 'did not finish']
    .map((a) => [a, records.filter((r) => action(r) === a).length] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} ${a}`);
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    `${records.length} image(s): ${counts.join(', ') || 'none'}; ${total.toFixed(1)}s in ecr-push tasks`,
  ].join('\n');
}

export function printSummary(records: EcrPushRecordFile[], write: (text: string) => void = (t) => process.stdout.write(t)): void {
  write(`${formatSummary(records)}\n`);
}
