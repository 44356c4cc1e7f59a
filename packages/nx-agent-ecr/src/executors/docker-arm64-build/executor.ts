// Executor nx-agent-ecr:docker-arm64-build: content tag → skip if ECR has it → probes → buildx build → build record.
// In a dry run, or when every task waiting for it is an ecr-push dry run, it prints the command and runs nothing.
import { logger, type ExecutorContext } from '@nx/devkit';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeBuildFailure } from '../../lib/docker/build-failure';
import { writeBuildRecord, type BuildRecord } from '../../lib/records/build-record';
import { buildxArgs, formatCommand, type BuildxFacts } from '../../lib/docker/buildx-args';
import { computeContentTag } from '../../lib/content/content-tag';
import { BuildPreconditionError } from '../../lib/docker/probes';
import { UserError } from '../../lib/errors';
import { runProcess, withSignal, type ProcessRunner, type RunResult } from '../../lib/process';
import { createRunScope, type RunScope } from '../../lib/task/run-scope';
import { servedPushes } from '../ecr-push/served-push';
import { readBuildMetadata } from './build-metadata';
import { defaultLabels } from './default-labels';
import { findExistingImage } from './existing-image';
import { localTags, normalizeOptions, type NormalizedOptions } from './normalize-options';
import { hostFacts, probeMachine, type MachineFacts } from './probe-machine';
import type { DockerArm64BuildExecutorSchema } from './schema';

export interface BuildDeps {
  run: ProcessRunner;
  machine: MachineFacts;
  now: () => Date;
  env: NodeJS.ProcessEnv;
  /** The batch's run scope; a task alone opens one with `newScope` and closes it when it returns. */
  scope?: RunScope;
  newScope?: () => RunScope;
}

export const defaultBuildDeps: BuildDeps = { run: runProcess, machine: hostFacts, now: () => new Date(), env: process.env };

export async function dockerArm64BuildExecutor(
  options: DockerArm64BuildExecutorSchema,
  context: ExecutorContext,
  deps: BuildDeps = defaultBuildDeps,
): Promise<{ success: boolean }> {
  // Ctrl-C / SIGTERM abort the task's signal, which stops the build process; the finally still removes our temp files.
  const scope = deps.scope ?? (deps.newScope ?? createRunScope)();
  const task = scope.startTask();
  let tempDir: string | undefined;
  try {
    // Every child process of the task (git, probes, the build) stops when the task's signal aborts.
    const run = withSignal(deps.run, task.signal);
    const o = normalizeOptions(options, context, deps.env);
    const served = servedPushes(context);
    const dryRun = o.dryRun || served.onlyDryRuns;
    const contentTag = await computeContentTag(o);
    const tags = localTags(o, contentTag);
    if (!dryRun) {
      const existing = await findExistingImage(scope, served, context, deps.env, contentTag);
      if (existing) {
        const because = `ECR already holds ${contentTag} (${existing.repositoryUri}@${existing.digest})`;
        logger.warn(`Skipping the build of ${o.projectName}: ${because}.`);
        await writeBuildRecord(
          o.workspaceRoot,
          o.projectRoot,
          record(o, tags, contentTag, deps.now(), { built: false, skippedBecause: because, existing }),
        );
        return { success: true };
      }
    }
    const labels = { ...(await defaultLabels(run, o.workspaceRoot, o.imageName, deps.now())), ...o.labels };
    const facts: BuildxFacts = dryRun ? {} : await probeMachine(run, o, deps.machine);
    if (!dryRun) tempDir = await mkdtemp(join(tmpdir(), 'nx-agent-ecr-build-'));
    const metadataFile = tempDir ? join(tempDir, 'metadata.json') : undefined;
    const args = buildxArgs({ ...o, tags, labels, metadataFile }, facts);
    if (dryRun && !o.dryRun) {
      logger.info(
        `Not building ${o.projectName}: every task waiting for this build is ` +
          `an ecr-push dry run, which plans from the content tag ${contentTag}.`,
      );
    }
    logger.info(`${dryRun ? 'Dry run, not running: ' : ''}${formatCommand('docker', args)}`);
    if (dryRun || !metadataFile) return { success: true };

    const result = await run('docker', args, { cwd: o.workspaceRoot, stream: true });
    if (result.canceled || task.signal.aborted) {
      logger.warn(`Build of ${o.projectName} canceled.`);
      return { success: false };
    }
    if (result.exitCode !== 0) {
      reportFailure(o, result);
      return { success: false };
    }
    const metadata = await readBuildMetadata(metadataFile);
    const path = await writeBuildRecord(
      o.workspaceRoot,
      o.projectRoot,
      record(o, tags, contentTag, deps.now(), { built: true, ...metadata }),
    );
    logger.info(`Built ${tags.join(', ')}${metadata.imageId ? ` (${metadata.imageId})` : ''}; record: ${path}`);
    return { success: true };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const known = error instanceof BuildPreconditionError || error instanceof UserError;
    logger.error(known ? error.message : `docker-arm64-build failed: ${error.message}`);
    if (context.isVerbose && !known) logger.error(error.stack ?? '');
    return { success: false };
  } finally {
    task.end();
    if (!deps.scope) scope.dispose();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

function record(
  o: NormalizedOptions,
  localTags: string[],
  contentTag: string,
  now: Date,
  outcome: Partial<BuildRecord> & { built: boolean },
): BuildRecord {
  return {
    project: o.projectName,
    imageName: o.imageName,
    localTags,
    contentTag,
    platforms: o.platforms,
    createdAt: now.toISOString(),
    ...outcome,
  };
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
