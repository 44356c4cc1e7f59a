// Executor nx-agent-ecr:docker-run: the built image against its contract. Inspect the image (platform, user, size),
// then run it for its platform on an ephemeral loopback port, wait for health, exercise the endpoints, always remove
// the container, and pass or fail in one line that names every broken clause.
import { logger, type ExecutorContext } from '@nx/devkit';
import { randomBytes } from 'node:crypto';
import { RUNNING_CLAUSES } from '../../lib/contract/contract';
import type { FetchLike } from '../../lib/contract/http-probe';
import { platformClause, sizeClause, userClause, verdictLine, type ClauseResult } from '../../lib/contract/judge';
import { inspectImage } from '../../lib/docker/container';
import { hostFacts, type MachineFacts } from '../../lib/docker/machine';
import { BuildPreconditionError, probeDocker, runPlatformProblem } from '../../lib/docker/probes';
import { oneLine, UserError } from '../../lib/errors';
import { runProcess, withSignal, type ProcessRunner } from '../../lib/process';
import { readBuildRecord, type BuildRecord } from '../../lib/records/build-record';
import { PLUGIN_NAME } from '../../lib/records/names';
import { createRunScope, type RunScope } from '../../lib/task/run-scope';
import { normalizeOptions, type NormalizedOptions } from './normalize-options';
import { checkRunningContainer } from './run-container';
import type { DockerRunExecutorSchema } from './schema';

export interface DockerRunDeps {
  run: ProcessRunner;
  fetch: FetchLike;
  machine: MachineFacts;
  readBuild: (workspaceRoot: string, projectRoot: string) => Promise<BuildRecord | undefined>;
  /** A suffix that makes the container's name unique on a shared engine. */
  unique: () => string;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  scope?: RunScope;
  newScope?: () => RunScope;
}

export const defaultDeps = (): DockerRunDeps => ({
  run: runProcess,
  fetch: (url, init) => fetch(url, init),
  machine: hostFacts,
  readBuild: readBuildRecord,
  unique: () => `${process.pid.toString(36)}-${randomBytes(4).toString('hex')}`,
});

export async function dockerRunExecutor(
  options: DockerRunExecutorSchema,
  context: ExecutorContext,
  deps: DockerRunDeps = defaultDeps(),
): Promise<{ success: boolean }> {
  const scope = deps.scope ?? (deps.newScope ?? createRunScope)();
  const task = scope.startTask();
  try {
    const o = normalizeOptions(options, context);
    const run = withSignal(deps.run, task.signal);
    await probeDocker(run);
    const record = o.image ? undefined : await deps.readBuild(o.workspaceRoot, o.projectRoot);
    const image = o.image ?? imageFromRecord(o, record);
    const platform = o.platform ?? platformFromRecord(record);
    const facts = await inspectImage(run, image);
    if (!facts) throw new UserError(notLocal(o, image, record));

    const results: ClauseResult[] = [];
    if (o.checks.has('platform')) results.push(platformClause(facts, platform));
    const user = o.checks.has('user') ? userClause(facts.user) : undefined;
    if (user) results.push(user);
    const namedUser = o.checks.has('user') && !user ? facts.user : undefined;
    if (o.checks.has('size')) results.push(sizeClause(facts.sizeBytes, o.maxImageSizeMB));

    let logs: string[] = [];
    if (o.contract && RUNNING_CLAUSES.some((c) => o.checks.has(c))) {
      const problem = runPlatformProblem(platform, deps.machine);
      if (problem) throw new BuildPreconditionError(problem);
      const outcome = await checkRunningContainer(
        { run, cleanupRun: deps.run, fetch: deps.fetch, signal: task.signal, sleep: deps.sleep, now: deps.now },
        {
          image,
          platform,
          name: `nx-agent-ecr-check-${safeName(o.project)}-${deps.unique()}`,
          contract: o.contract,
          env: o.env,
          labels: { [`${PLUGIN_NAME}.contract-check`]: o.project },
          checkEndpoints: o.checks.has('endpoints'),
          namedUser,
          startTimeoutMs: o.startTimeoutMs,
          requestTimeoutMs: o.requestTimeoutMs,
        },
      );
      results.push(...outcome.results);
      logs = outcome.logs;
    } else if (namedUser !== undefined) {
      results.push({
        clause: 'user',
        ok: false,
        detail: `USER is the name "${namedUser}", whose uid only a running container can tell: use a numeric USER`,
      });
    }

    const verdict = verdictLine(o.project, results);
    if (verdict.ok) {
      logger.info(verdict.line);
      return { success: true };
    }
    logger.error(verdict.line);
    if (logs.length) logger.error(['Last container output:', ...logs.map((line) => `  ${line}`)].join('\n'));
    return { success: false };
  } catch (error) {
    const known = error instanceof UserError || error instanceof BuildPreconditionError;
    const message = task.signal.aborted
      ? `Contract check of ${context.projectName} canceled; its container was removed.`
      : known
        ? (error as Error).message
        : `docker-run failed: ${oneLine(error)}`;
    logger.error(message);
    return { success: false };
  } finally {
    task.end();
    if (!deps.scope) scope.dispose();
  }
}

/** The exact image docker-build made: its content-tag reference, the first local tag it recorded. */
function imageFromRecord(o: NormalizedOptions, record: BuildRecord | undefined): string {
  const image = record?.localTags[0];
  if (!image) {
    throw new UserError(
      `No build record for ${o.project} (dist/images/${o.projectRoot}/build.json): run nx run ${o.project}:docker-build first, or pass --image.`,
    );
  }
  return image;
}

/** arm64 when the build made it (what AgentCore and Graviton run), else the first platform built. */
function platformFromRecord(record: BuildRecord | undefined): string {
  const platforms = record?.platforms ?? [];
  return platforms.find((p) => p.startsWith('linux/arm64')) ?? platforms[0] ?? 'linux/arm64';
}

function notLocal(o: NormalizedOptions, image: string, record: BuildRecord | undefined): string {
  if (record && !record.built && record.existing) {
    const remote = `${record.existing.repositoryUri}@${record.existing.digest}`;
    return (
      `The image of ${o.project} is not in the local engine: docker-build skipped the build because ECR holds it (${remote}). ` +
      `Pull it (docker pull --platform ${o.platform ?? 'linux/arm64'} ${remote}) and pass --image=${remote}.`
    );
  }
  return `Image ${image} is not in the local engine: build it (nx run ${o.project}:docker-build) or pass --image with a local image.`;
}

const safeName = (project: string) => project.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '') || 'project';

export default dockerRunExecutor;
