// The ecr-push record (read by ECS task definitions and AgentCore runtime updates): written atomically, read back
// for the summary of a multi-project run. A run that fails leaves a failure record in its place — and a run that
// is killed, its "in-progress" one — so a deploy never reads the previous run's digest as this run's.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonRecord, writeJsonAtomic } from './json-file';
import { RECORD_FILES, recordPath } from './names';

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
  /** Whether this run built the image, or pushed the build a docker-build of the same sources made; absent when unknown. */
  built?: boolean;
  /** When this run wrote the record (pushedAt is ECR's push time, older for a skipped image). */
  recordedAt?: string;
  /** What the scan gate saw, when it ran: the image passed it (a blocked image gets no record). */
  scan?: { status: string; counts: Record<string, number>; threshold: string };
  /** The content tag ecr-push computed from the sources and the commit (short sha) the push ran at: a deploy checks
   * both against its run. */
  contentTag?: string;
  /** The git short sha of the pushing checkout, when there is one. */
  gitSha?: string;
  /** The platforms the image was built for (the build target's). */
  platforms?: string[];
  /** A tag of the options this run did not move, and why (e.g. `latest` already on a newer image). */
  notMoved?: { tag: string; because: string }[];
}

/** A run that did not succeed: "in-progress" is written before anything changes, "failed" when the run fails. */
export interface EcrPushFailureRecord {
  project: string;
  /** Undefined when the options were refused before the repository name was known. */
  repositoryName?: string;
  outcome: 'failed' | 'in-progress';
  /** The one line the run failed with (redacted). */
  error?: string;
  contentTag?: string;
  gitSha?: string;
  /** Tags this run moved before it stopped: where the repository now differs from before the run. */
  movedTags: string[];
  seconds: number;
  recordedAt: string;
}

export type EcrPushRecordFile = EcrPushRecord | EcrPushFailureRecord;

export const isFailureRecord = (record: EcrPushRecordFile): record is EcrPushFailureRecord =>
  record.outcome === 'failed' || record.outcome === 'in-progress';

/** `{workspaceRoot}/dist/images/{projectRoot}/ecr-push.json`. */
export function ecrPushRecordPath(workspaceRoot: string, projectRoot: string): string {
  return recordPath(workspaceRoot, projectRoot, 'push');
}

export function writeEcrPushRecord(workspaceRoot: string, projectRoot: string, record: EcrPushRecordFile): Promise<string> {
  return writeJsonAtomic(ecrPushRecordPath(workspaceRoot, projectRoot), record);
}

/**
 * The project's record — a success, or the failure / in-progress record a failed or killed run left — or undefined
 * when it has none; a malformed record is an error naming the file and `fix`.
 */
export function readEcrPushRecord(workspaceRoot: string, projectRoot: string, fix: string): Promise<EcrPushRecordFile | undefined> {
  return readJsonRecord(ecrPushRecordPath(workspaceRoot, projectRoot), isEcrPushRecordFile, {
    name: 'Push record',
    fields: 'project/repositoryName/repositoryUri/digest/tags/outcome',
    fix,
  });
}

function isEcrPushRecordFile(value: unknown): value is EcrPushRecordFile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  if ((r['outcome'] === 'failed' || r['outcome'] === 'in-progress') && typeof r['project'] === 'string') return true;
  return (
    ['project', 'repositoryName', 'repositoryUri', 'digest', 'outcome'].every((key) => typeof r[key] === 'string') &&
    Array.isArray(r['tags'])
  );
}

export function imageUris(repositoryUri: string, tags: string[], digest: string): string[] {
  return [...tags.map((tag) => `${repositoryUri}:${tag}`), ...(digest ? [`${repositoryUri}@${digest}`] : [])];
}

/** Every ecr-push.json under `root` (normally `<workspace>/dist/images`) written at or after `since`. */
export function readEcrPushRecords(root: string, since?: Date): EcrPushRecordFile[] {
  const records: EcrPushRecordFile[] = [];
  const walk = (dir: string) => {
    for (const entry of safeReaddir(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry === RECORD_FILES.push) records.push(JSON.parse(readFileSync(path, 'utf8')) as EcrPushRecordFile);
    }
  };
  walk(root);
  const writtenAt = (r: EcrPushRecordFile) => new Date(isFailureRecord(r) ? r.recordedAt : (r.recordedAt ?? r.pushedAt)).getTime();
  return records.filter((r) => !since || writtenAt(r) >= since.getTime()).sort((a, b) => a.project.localeCompare(b.project));
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
