// The one place that names the plugin's executors, its inferred named input, and the records the executors write.
import { join } from 'node:path';

export const PLUGIN_NAME = 'nx-agent-ecr';

/** Executor IDs as project.json writes them. */
export const EXECUTORS = {
  build: `${PLUGIN_NAME}:docker-arm64-build`,
  push: `${PLUGIN_NAME}:ecr-push`,
  run: `${PLUGIN_NAME}:docker-run`,
  ecsDeploy: `${PLUGIN_NAME}:ecs-deploy`,
  agentcoreDeploy: `${PLUGIN_NAME}:agentcore-deploy`,
} as const;

/** Generator IDs, as a generated project's metadata records them. */
export const GENERATORS = {
  agentService: `${PLUGIN_NAME}:agent-service`,
} as const;

/** The project-level named input the plugin infers: every file that reaches the project's image. */
export const IMAGE_NAMED_INPUT = 'dockerContext';

/** One JSON file per project and kind, under dist/images/<projectRoot>/. */
export const RECORD_FILES = {
  build: 'build.json',
  push: 'ecr-push.json',
  deploy: 'deploy.json',
} as const;

export type RecordKind = keyof typeof RECORD_FILES;

/** The directory every record lives under, relative to the workspace root. */
export const RECORDS_DIR = join('dist', 'images');

/** `{workspaceRoot}/dist/images` — what the summary CLI walks. */
export function recordsRoot(workspaceRoot: string): string {
  return join(workspaceRoot, RECORDS_DIR);
}

/** `{workspaceRoot}/dist/images/{projectRoot}/<file>` of one record. */
export function recordPath(workspaceRoot: string, projectRoot: string, kind: RecordKind): string {
  return join(recordsRoot(workspaceRoot), projectRoot, RECORD_FILES[kind]);
}

/** The same path as an Nx `outputs` entry, e.g. `{workspaceRoot}/dist/images/{projectRoot}/build.json`. */
export function recordOutput(kind: RecordKind): string {
  return `{workspaceRoot}/dist/images/{projectRoot}/${RECORD_FILES[kind]}`;
}
