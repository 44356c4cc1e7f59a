// What ecr-push needs from docker-arm64-build's record (lib/records/build-record.ts): the content tag and the local image.
import { buildRecordPath, readBuildRecord } from '../../lib/records/build-record';
import { UserError } from '../../lib/errors';

export interface BuildInput {
  contentTag: string;
  /** `<imageName>:<contentTag>`, the local image a push starts from. */
  localRef: string;
  built: boolean;
}

/** Reads the build record or says, in one line, to run docker-build first. */
export async function readBuildInput(workspaceRoot: string, projectRoot: string): Promise<BuildInput> {
  const record = await readBuildRecord(workspaceRoot, projectRoot).catch((error: unknown) => {
    throw new UserError(error instanceof Error ? error.message : String(error));
  });
  if (!record) {
    const file = buildRecordPath(workspaceRoot, projectRoot);
    throw new UserError(`No build record at ${file}: run the docker-build target first (ecr-push declares dependsOn: ["docker-build"]).`);
  }
  return { contentTag: record.contentTag, localRef: `${record.imageName}:${record.contentTag}`, built: record.built };
}
