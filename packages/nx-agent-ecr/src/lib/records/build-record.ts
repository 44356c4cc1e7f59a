// The build record: what docker-arm64-build made (or found in ECR), for ecr-push and anyone after it.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

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
  /** ISO time. */
  createdAt: string;
}

/** `{workspaceRoot}/dist/images/{projectRoot}/build.json` — the docker-build target's declared output. */
export function buildRecordPath(workspaceRoot: string, projectRoot: string): string {
  return join(workspaceRoot, 'dist', 'images', projectRoot, 'build.json');
}

export async function writeBuildRecord(workspaceRoot: string, projectRoot: string, record: BuildRecord): Promise<string> {
  const path = buildRecordPath(workspaceRoot, projectRoot);
  await mkdir(dirname(path), { recursive: true });
  // Write then rename, so a reader in a parallel task never sees half a file.
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, `${JSON.stringify(record, null, 2)}\n`);
  await rename(partial, path);
  return path;
}

/** The record, or undefined when the project was not built yet. A malformed record is an error naming the file. */
export async function readBuildRecord(workspaceRoot: string, projectRoot: string): Promise<BuildRecord | undefined> {
  const path = buildRecordPath(workspaceRoot, projectRoot);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`Build record ${path} is not valid JSON: delete it and run the docker-build target again.`);
  }
  if (!isBuildRecord(parsed)) {
    throw new Error(`Build record ${path} lacks project/imageName/localTags/contentTag/platforms/built: delete it and run the docker-build target again.`);
  }
  return parsed;
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
