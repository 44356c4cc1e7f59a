// The ecr-push JSON record (consumed by ECS task definitions / AgentCore updates) and the multi-project summary table.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type PushOutcome = 'pushed' | 'retagged' | 'promoted' | 'skipped' | 'dry-run';

export interface EcrPushRecord {
  project: string;
  repositoryName: string;
  repositoryUri: string;
  digest: string;
  tags: string[];
  /** `<repositoryUri>:<tag>` for every tag, then `<repositoryUri>@<digest>`. */
  imageUris: string[];
  sizeBytes: number;
  pushedAt: string;
  outcome: PushOutcome;
  seconds: number;
  /** Whether docker-arm64-build built the image in this run (from build.json); absent when unknown. */
  built?: boolean;
  /** When this run wrote the record (pushedAt is ECR's push time, older for a skipped image). */
  recordedAt?: string;
  /** The build's content tag and the commit (short sha) the push ran at: deploys check both against their run. */
  contentTag?: string;
  gitSha?: string;
}

export function ecrPushRecordPath(workspaceRoot: string, projectRoot: string): string {
  return join(workspaceRoot, 'dist', 'images', projectRoot, 'ecr-push.json');
}

export function writeEcrPushRecord(path: string, record: EcrPushRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
}

export function imageUris(repositoryUri: string, tags: string[], digest: string): string[] {
  return [...tags.map((tag) => `${repositoryUri}:${tag}`), ...(digest ? [`${repositoryUri}@${digest}`] : [])];
}

/** Every ecr-push.json under `root` (normally `<workspace>/dist/images`) written at or after `since`. */
export function readEcrPushRecords(root: string, since?: Date): EcrPushRecord[] {
  const records: EcrPushRecord[] = [];
  const walk = (dir: string) => {
    for (const entry of safeReaddir(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry === 'ecr-push.json') records.push(JSON.parse(readFileSync(path, 'utf8')) as EcrPushRecord);
    }
  };
  walk(root);
  return records
    .filter((r) => !since || new Date(r.recordedAt ?? r.pushedAt).getTime() >= since.getTime())
    .sort((a, b) => a.project.localeCompare(b.project));
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** What happened to the image: skipped (nothing moved), built (and pushed), pushed (an existing local build), … */
export function action(record: EcrPushRecord): string {
  if (record.outcome === 'pushed') return record.built ? 'built+pushed' : 'pushed';
  if (record.outcome === 'retagged') return 'skipped (retagged)';
  return record.outcome;
}

/** One table: service, tag, digest, what happened, seconds. */
export function formatSummary(records: EcrPushRecord[]): string {
  const header = ['service', 'tag', 'digest', 'action', 'seconds'];
  const rows = records.map((r) => [
    r.project,
    r.tags.find((t) => !t.startsWith('content-')) ?? r.tags[0] ?? '',
    r.digest ? r.digest.replace(/^sha256:/, '').slice(0, 12) : '-',
    action(r),
    r.seconds.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const total = records.reduce((sum, r) => sum + r.seconds, 0);
  const counts = ['built+pushed', 'pushed', 'promoted', 'skipped (retagged)', 'skipped', 'dry-run']
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

export function printSummary(records: EcrPushRecord[], write: (text: string) => void = (t) => process.stdout.write(t)): void {
  write(`${formatSummary(records)}\n`);
}
