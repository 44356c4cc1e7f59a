// Executor nx-agent-ecr:docker-arm64-build: content tag → skip if ECR has it → build (lib/docker/build-image.ts, the
// build ecr-push runs too) → build record. For PR builds and local use; ecr-push builds what it delivers itself.
import type { ExecutorContext } from '@nx/devkit';
import { logger } from '../../lib/log';
import { imageContent } from '../../lib/content/image-content';
import { workspaceListings } from '../../lib/content/listing-cache';
import { baseDigestLookup } from '../../lib/docker/base-lookup';
import { baseImagesOf } from '../../lib/docker/resolve-bases';
import { BuildFailedError, buildImage, localTags, plannedBuildCommand } from '../../lib/docker/build-image';
import { hostFacts, type MachineFacts } from '../../lib/docker/machine';
import { BuildPreconditionError } from '../../lib/docker/probes';
import { UserError } from '../../lib/errors';
import { runProcess, withSignal, type ProcessRunner } from '../../lib/process';
import { writeBuildRecord } from '../../lib/records/build-record';
import { createRunScope, type RunScope } from '../../lib/task/run-scope';
import { servedPushes } from '../ecr-push/served-push';
import { findExistingImage } from './existing-image';
import { normalizeOptions } from './normalize-options';
import type { DockerArm64BuildExecutorSchema } from './schema';

export interface BuildDeps {
  run: ProcessRunner;
  machine: MachineFacts;
  now: () => Date;
  env: NodeJS.ProcessEnv;
  /** For base-image lookups (registry API); tests hand in a registry. */
  fetch?: typeof fetch;
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
  // Ctrl-C / SIGTERM abort the task's signal, which stops the build process; buildImage still removes its temp files.
  const scope = deps.scope ?? (deps.newScope ?? createRunScope)();
  const task = scope.startTask();
  try {
    // Every child process of the task (git, probes, the build) stops when the task's signal aborts.
    const spec = normalizeOptions(options, context, deps.env);
    const run = withSignal(deps.run, task.signal, spec.commandTimeoutMs);
    // Base images by the registries' own answers (Docker's credentials), one lookup per image per process.
    const lookup = baseDigestLookup({ run, env: deps.env, cache: scope.baseDigests, fetch: deps.fetch, signal: task.signal });
    const { contentTag, bases } = await imageContent(spec, lookup, { listings: workspaceListings(spec.workspaceRoot) });
    if (spec.dryRun) {
      logger.info(`Dry run, not running: ${await plannedBuildCommand(spec, contentTag, { run, now: deps.now })}`);
      for (const base of bases) logger.info(`  base ${base.reference.written} would be pinned to ${base.pinned}`);
      return { success: true };
    }
    const existing = await findExistingImage(scope, servedPushes(context), context, deps.env, contentTag);
    if (existing) {
      const because = `ECR already holds ${contentTag} (${existing.repositoryUri}@${existing.digest})`;
      logger.warn(`Skipping the build of ${spec.projectName}: ${because}.`);
      await writeBuildRecord(spec.workspaceRoot, spec.projectRoot, {
        project: spec.projectName,
        imageName: spec.imageName,
        localTags: localTags(spec, contentTag),
        contentTag,
        platforms: spec.platforms,
        createdAt: deps.now().toISOString(),
        built: false,
        skippedBecause: because,
        existing,
        ...(bases.length ? { baseImages: baseImagesOf(bases) } : {}),
      });
      return { success: true };
    }
    await buildImage(spec, contentTag, { run, machine: deps.machine, now: deps.now, log: (line) => logger.info(line) }, bases);
    return { success: true };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    if (task.signal.aborted) {
      logger.warn(`Build of ${context.projectName} canceled.`);
      return { success: false };
    }
    const known = error instanceof BuildPreconditionError || error instanceof UserError;
    logger.error(known ? error.message : `docker-arm64-build failed: ${error.message}`);
    if (error instanceof BuildFailedError) error.details.forEach((line) => logger.error(line));
    if (context.isVerbose && !known) logger.error(error.stack ?? '');
    return { success: false };
  } finally {
    task.end();
    if (!deps.scope) scope.dispose();
  }
}

export default dockerArm64BuildExecutor;
