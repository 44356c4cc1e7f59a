// Whether a docker-build of exactly these sources left its image on this machine: a build record with the content
// tag ecr-push recomputed, and that image in the local engine. A record made from other sources is never pushed.
import type { BuildSpec } from '../../lib/docker/build-image';
import { oneLine } from '../../lib/errors';
import type { ProcessRunner } from '../../lib/process';
import { buildRecordPath, readBuildRecord } from '../../lib/records/build-record';

export type LocalBuild = { usable: true; localRef: string } | { usable: false; reason: string };

export async function findLocalBuild(run: ProcessRunner, spec: BuildSpec, contentTag: string): Promise<LocalBuild> {
  const path = buildRecordPath(spec.workspaceRoot, spec.projectRoot);
  const record = await readBuildRecord(spec.workspaceRoot, spec.projectRoot).catch((error: unknown) => oneLine(error));
  if (typeof record === 'string') return { usable: false, reason: record };
  if (!record) return { usable: false, reason: `there is no build record at ${path}` };
  if (record.contentTag !== contentTag) {
    return { usable: false, reason: `${path} records ${record.contentTag}, a build of other sources than the current ${contentTag}` };
  }
  if (!record.built) return { usable: false, reason: `${path} records no local build of ${contentTag} (docker-build found it in ECR)` };
  const localRef = `${record.imageName}:${contentTag}`;
  const inspected = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', localRef]).catch((error: unknown) => oneLine(error));
  if (typeof inspected === 'string' || inspected.exitCode !== 0) {
    return { usable: false, reason: `${path} records ${localRef}, which is not in the local Docker engine` };
  }
  return { usable: true, localRef };
}
