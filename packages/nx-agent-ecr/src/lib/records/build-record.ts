// The build record: what docker-arm64-build made (or found in ECR), for ecr-push and anyone after it.
import { rm } from 'node:fs/promises';
import { readJsonRecord, writeJsonAtomic } from './json-file';
import { recordPath } from './names';

export interface BuildRecord {
  project: string;
  imageName: string;
  /** Full local references, e.g. "langgraph:latest". */
  localTags: string[];
  contentTag: string;
  imageId?: string;
  digest?: string;
  platforms: string[];
  /** False when the build was skipped because ECR already holds the content tag. */
  built: boolean;
  skippedBecause?: string;
  existing?: { repositoryUri: string; digest: string; foundIn: string };
  /** The base images the build was pinned to: what the content tag hashed. */
  baseImages?: { ref: string; platform: string; digest: string }[];
  /** ISO time. */
  createdAt: string;
}

/** `{workspaceRoot}/dist/images/{projectRoot}/build.json` — the docker-build target's declared output. */
export function buildRecordPath(workspaceRoot: string, projectRoot: string): string {
  return recordPath(workspaceRoot, projectRoot, 'build');
}

export function writeBuildRecord(workspaceRoot: string, projectRoot: string, record: BuildRecord): Promise<string> {
  return writeJsonAtomic(buildRecordPath(workspaceRoot, projectRoot), record);
}

/** Removes the record: a build that starts replaces it, so one that fails or is cancelled leaves none. */
export async function removeBuildRecord(workspaceRoot: string, projectRoot: string): Promise<void> {
  await rm(buildRecordPath(workspaceRoot, projectRoot), { force: true });
}

/** The record, or undefined when the project was not built yet. A malformed record is an error naming the file. */
export function readBuildRecord(workspaceRoot: string, projectRoot: string): Promise<BuildRecord | undefined> {
  return readJsonRecord(buildRecordPath(workspaceRoot, projectRoot), isBuildRecord, {
    name: 'Build record',
    fields: 'project/imageName/localTags/contentTag/platforms/built',
    fix: 'delete it and run the docker-build target again',
  });
}

function isBuildRecord(value: unknown): value is BuildRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r['project'] === 'string' &&
    typeof r['imageName'] === 'string' &&
    Array.isArray(r['localTags']) &&
    typeof r['contentTag'] === 'string' &&
    Array.isArray(r['platforms']) &&
    typeof r['built'] === 'boolean'
  );
}
