// Executor nx-agent-ecr:docker-arm64-build: content tag → skip if ECR has it → probes → buildx build → build record.
import { logger, type ExecutorContext } from '@nx/devkit';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeBuildFailure } from '../../lib/docker/build-failure';
import { writeBuildRecord, type BuildRecord } from '../../lib/records/build-record';
import { buildxArgs, formatCommand, type BuildxFacts } from '../../lib/docker/buildx-args';
import { computeContentTag } from '../../lib/content/content-tag';
import { BuildPreconditionError } from '../../lib/docker/probes';
import { findPushedImage } from '../../lib/ecr/existing-image';
import { runProcess, type ProcessRunner, type RunResult } from '../../lib/process';
import { readBuildMetadata } from './build-metadata';
import { defaultLabels } from './default-labels';
import { localTags, normalizeOptions, type NormalizedOptions } from './normalize-options';
import { hostFacts, probeMachine, type MachineFacts } from './probe-machine';
import type { DockerArm64BuildExecutorSchema } from './schema';

export interface BuildDeps {
  run: ProcessRunner;
  machine: MachineFacts;
  now: () => Date;
}

const defaultDeps: BuildDeps = { run: runProcess, machine: hostFacts, now: () => new Date() };

export async function dockerArm64BuildExecutor(
  options: DockerArm64BuildExecutorSchema,
  context: ExecutorContext,
  deps: BuildDeps = defaultDeps,
): Promise<{ success: boolean }> {
  // Ctrl-C / SIGTERM stop the build process; the finally below still removes our temp files.
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.on('SIGINT', cancel);
  process.on('SIGTERM', cancel);
  let tempDir: string | undefined;
  try {
    const o = normalizeOptions(options, context);
    const contentTag = await computeContentTag(o);
    const tags = localTags(o, contentTag);
    if (!o.dryRun) {
      const existing = await findPushedImage(context, contentTag);
      if (existing) {
        const because = `ECR already holds ${contentTag} (${existing.repositoryUri}@${existing.digest})`;
        logger.warn(`Skipping the build of ${o.projectName}: ${because}.`);
        await writeBuildRecord(o.workspaceRoot, o.projectRoot, record(o, tags, contentTag, deps.now(), { built: false, skippedBecause: because, existing }));
        return { success: true };
      }
    }
    const labels = { ...(await defaultLabels(deps.run, o.workspaceRoot, o.imageName, deps.now())), ...o.labels };
    const facts: BuildxFacts = o.dryRun ? {} : await probeMachine(deps.run, o, deps.machine);
    if (!o.dryRun) tempDir = await mkdtemp(join(tmpdir(), 'nx-agent-ecr-build-'));
    const metadataFile = tempDir ? join(tempDir, 'metadata.json') : undefined;
    const args = buildxArgs({ ...o, tags, labels, metadataFile }, facts);
    logger.info(`${o.dryRun ? 'Dry run, not running: ' : ''}${formatCommand('docker', args)}`);
    if (o.dryRun || !metadataFile) return { success: true };

    const result = await deps.run('docker', args, { cwd: o.workspaceRoot, stream: true, signal: controller.signal });
    if (result.canceled || controller.signal.aborted) {
      logger.warn(`Build of ${o.projectName} canceled.`);
      return { success: false };
    }
    if (result.exitCode !== 0) {
      reportFailure(o, result);
      return { success: false };
    }
    const metadata = await readBuildMetadata(metadataFile);
    const path = await writeBuildRecord(o.workspaceRoot, o.projectRoot, record(o, tags, contentTag, deps.now(), { built: true, ...metadata }));
    logger.info(`Built ${tags.join(', ')}${metadata.imageId ? ` (${metadata.imageId})` : ''}; record: ${path}`);
    return { success: true };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    logger.error(error instanceof BuildPreconditionError ? error.message : `docker-arm64-build failed: ${error.message}`);
    if (context.isVerbose && !(error instanceof BuildPreconditionError)) logger.error(error.stack ?? '');
    return { success: false };
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

function record(o: NormalizedOptions, localTags: string[], contentTag: string, now: Date, outcome: Partial<BuildRecord> & { built: boolean }): BuildRecord {
  return { project: o.projectName, imageName: o.imageName, localTags, contentTag, platforms: o.platforms, createdAt: now.toISOString(), ...outcome };
}

function reportFailure(o: NormalizedOptions, result: RunResult): void {
  const failure = summarizeBuildFailure(`${result.stdout}\n${result.stderr}`);
  const step = failure.step ? ` at ${failure.step}` : '';
  const code = failure.stepExitCode !== undefined ? ` (the step exited ${failure.stepExitCode})` : '';
  logger.error(`docker buildx build for ${o.projectName} failed with exit code ${result.exitCode}${step}${code}.`);
  for (const line of failure.errors) logger.error(`  ${line}`);
  if (failure.hint) logger.error(failure.hint);
}

export default dockerArm64BuildExecutor;
