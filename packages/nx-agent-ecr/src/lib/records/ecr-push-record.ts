// The ecr-push record (read by ECS task definitions and AgentCore runtime updates): written atomically, read back
// for the summary of a multi-project run.
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
  /** Whether docker-arm64-build built the image in this run (from build.json); absent when unknown. */
  built?: boolean;
  /** When this run wrote the record (pushedAt is ECR's push time, older for a skipped image). */
  recordedAt?: string;
  /** What the scan gate saw, when it ran: the image passed it (a blocked image gets no record). */
  scan?: { status: string; counts: Record<string, number>; threshold: string };
  /** The build's content tag and the commit (short sha) the push ran at: a deploy checks both against its run. */
  contentTag?: string;
  gitSha?: string;
}

/** `{workspaceRoot}/dist/images/{projectRoot}/ecr-push.json`. */
export function ecrPushRecordPath(workspaceRoot: string, projectRoot: string): string {
  return recordPath(workspaceRoot, projectRoot, 'push');
}

export function writeEcrPushRecord(workspaceRoot: string, projectRoot: string, record: EcrPushRecord): Promise<string> {
  return writeJsonAtomic(ecrPushRecordPath(workspaceRoot, projectRoot), record);
}

/** The project's record, or undefined when it has none; a malformed record is an error naming the file and `fix`. */
export function readEcrPushRecord(workspaceRoot: string, projectRoot: string, fix: string): Promise<EcrPushRecord | undefined> {
  return readJsonRecord(ecrPushRecordPath(workspaceRoot, projectRoot), isEcrPushRecord, {
    name: 'Push record',
    fields: 'project/repositoryName/repositoryUri/digest/tags/outcome',
    fix,
  });
}

function isEcrPushRecord(value: unknown): value is EcrPushRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  return (
    ['project', 'repositoryName', 'repositoryUri', 'digest', 'outcome'].every((key) => typeof r[key] === 'string') &&
    Array.isArray(r['tags'])
  );
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
      else if (entry === RECORD_FILES.push) records.push(JSON.parse(readFileSync(path, 'utf8')) as EcrPushRecord);
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
