// Phase 6 of a push: its record, written atomically in every case — success (or dry run), "in-progress" before
// anything changes, and "failed" when the run fails — so ecr-push.json never shows a previous run's digest as this
// run's result.
import type { ExecutorContext } from '@nx/devkit';
import { imageUris, writeEcrPushRecord, type EcrPushRecord, type PushOutcome } from '../../lib/records/ecr-push-record';

/** Where a task's record goes and what it is about; known from the context even when the options are refused. */
export interface RecordTarget {
  workspaceRoot: string;
  projectRoot: string;
  project: string;
  repositoryName?: string;
  contentTag?: string;
  gitSha?: string;
  started: number;
}

export function recordTarget(context: ExecutorContext, started: number): RecordTarget | undefined {
  const project = context.projectName;
  const projectRoot = project ? context.projectsConfigurations?.projects[project]?.root : undefined;
  return project && projectRoot !== undefined ? { workspaceRoot: context.root, projectRoot, project, started } : undefined;
}

const seconds = (target: RecordTarget) => Math.round((Date.now() - target.started) / 100) / 10;

export interface SuccessFacts {
  repositoryUri: string;
  digest: string;
  /** The tags the image carries for this run (a `latest` left on a newer image is not among them). */
  tags: string[];
  sizeBytes: number;
  pushedAt: Date;
  outcome: PushOutcome;
  built: boolean;
  platforms: string[];
  notMoved?: EcrPushRecord['notMoved'];
  scan?: EcrPushRecord['scan'];
}

export async function writeSuccess(target: RecordTarget, facts: SuccessFacts): Promise<EcrPushRecord> {
  const { pushedAt, notMoved, ...rest } = facts;
  const record: EcrPushRecord = {
    project: target.project,
    repositoryName: target.repositoryName ?? '',
    ...rest,
    imageUris: facts.repositoryUri ? imageUris(facts.repositoryUri, facts.tags, facts.digest) : [],
    pushedAt: pushedAt.toISOString(),
    seconds: seconds(target),
    recordedAt: new Date().toISOString(),
    ...(target.contentTag ? { contentTag: target.contentTag } : {}),
    ...(target.gitSha ? { gitSha: target.gitSha } : {}),
    ...(notMoved?.length ? { notMoved } : {}),
  };
  await writeEcrPushRecord(target.workspaceRoot, target.projectRoot, record);
  return record;
}

/** Replaces the previous record before anything changes, so a killed run leaves this one, not the last success. */
export async function writeInProgress(target: RecordTarget): Promise<void> {
  await writeFailure(target, 'in-progress', [], undefined);
}

export async function writeFailure(
  target: RecordTarget,
  outcome: 'failed' | 'in-progress',
  movedTags: string[],
  error?: string,
): Promise<void> {
  await writeEcrPushRecord(target.workspaceRoot, target.projectRoot, {
    project: target.project,
    ...(target.repositoryName ? { repositoryName: target.repositoryName } : {}),
    outcome,
    ...(error ? { error } : {}),
    ...(target.contentTag ? { contentTag: target.contentTag } : {}),
    ...(target.gitSha ? { gitSha: target.gitSha } : {}),
    movedTags,
    seconds: seconds(target),
    recordedAt: new Date().toISOString(),
  });
}
