// "Build this image": the one implementation docker-build and ecr-push both call. Probes the machine, runs
// `docker buildx build` with the pure argv, reads buildx's metadata file and writes the build record. The old
// record goes first, so a failed, cancelled or killed build never leaves a record of other sources behind.
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors';
import { markOwner } from '../task/stale-temp';
import type { ProcessRunner, RunResult } from '../process';
import { removeBuildRecord, writeBuildRecord, type BuildRecord } from '../records/build-record';
import { readBuildMetadata } from './build-metadata';
import { summarizeBuildFailure } from './build-failure';
import { buildxArgs, formatCommand, type BuildxFacts, type BuildxInput } from './buildx-args';
import { defaultLabels } from './labels';
import { probeMachine, type MachineFacts, type MachineReading } from './machine';
import { baseImagesOf, pinDockerfile, type ResolvedBase } from './resolve-bases';

/** A build's options with every default applied and every cheap check done (docker-build's normalizeOptions). */
export interface BuildSpec extends Omit<BuildxInput, 'tags' | 'metadataFile'> {
  projectName: string;
  projectRoot: string;
  workspaceRoot: string;
  /** Relative to the workspace root (the command's cwd), as printed on the command line. */
  dockerfile: string;
  dockerfilePath: string;
  contextDir: string;
  imageName: string;
  /** Extra tags as full references. */
  extraTags: string[];
  createBuilder: boolean;
  dryRun: boolean;
  /** Deadline of the build (and of creating a builder). */
  buildTimeoutMs: number;
  /** Deadline of every short child process of the build's task. */
  commandTimeoutMs: number;
}

export interface BuildDeps {
  run: ProcessRunner;
  machine: MachineFacts;
  now: () => Date;
  log: (line: string) => void;
  /** The machine probes' answer when the caller started them early (probeForBuild), beside its own lookups. */
  probed?: () => Promise<BuildxFacts>;
  /** The checkout's full commit when the caller knows it (the revision label). */
  revision?: string;
}

/** The build failed: `message` is the one line, `details` the build's own error lines and a known fix. */
export class BuildFailedError extends UserError {
  constructor(
    message: string,
    readonly details: string[],
  ) {
    super(message);
    this.name = 'BuildFailedError';
  }
}

/** `<imageName>:<contentTag>`, `<imageName>:latest`, then the extra tags; the record lists them in this order. */
export function localTags(spec: Pick<BuildSpec, 'imageName' | 'extraTags'>, contentTag: string): string[] {
  return [...new Set([`${spec.imageName}:${contentTag}`, `${spec.imageName}:latest`, ...spec.extraTags])];
}

/** The command a build would run, for dry runs: nothing probed, nothing started. */
export async function plannedBuildCommand(spec: BuildSpec, contentTag: string, deps: Pick<BuildDeps, 'run' | 'now'>): Promise<string> {
  const labels = { ...(await defaultLabels(deps.run, spec.workspaceRoot, spec.imageName, deps.now())), ...spec.labels };
  return formatCommand('docker', buildxArgs({ ...spec, tags: localTags(spec, contentTag), labels }, {}));
}

/**
 * Every machine check the build of `spec` depends on (lib/docker/machine.ts); read-only unless it creates a builder.
 * `reading` is the machine's reading when the caller shares one (a run reads the machine once).
 */
export function probeForBuild(
  spec: BuildSpec,
  deps: Pick<BuildDeps, 'run' | 'machine'> & { reading?: () => Promise<MachineReading> },
): Promise<BuildxFacts> {
  return probeMachine(deps.run, { ...spec, createTimeoutMs: spec.buildTimeoutMs }, deps.machine, deps.reading);
}

/**
 * Builds `spec` tagged with `contentTag` from exactly the base digests the content tag hashed (`bases`, pinned in a
 * copy of the Dockerfile) and writes its build record; throws BuildFailedError or UserError.
 */
export async function buildImage(spec: BuildSpec, contentTag: string, deps: BuildDeps, bases: ResolvedBase[] = []): Promise<BuildRecord> {
  await removeBuildRecord(spec.workspaceRoot, spec.projectRoot);
  const [defaults, facts] = await Promise.all([
    defaultLabels(deps.run, spec.workspaceRoot, spec.imageName, deps.now(), deps.revision),
    deps.probed?.() ?? probeForBuild(spec, deps),
  ]);
  const labels = { ...defaults, ...spec.labels };
  const tempDir = await mkdtemp(join(tmpdir(), 'nx-agent-ecr-build-'));
  markOwner(tempDir);
  try {
    const tags = localTags(spec, contentTag);
    const metadataFile = join(tempDir, 'metadata.json');
    // A reference already written as ref@digest needs no copy of the Dockerfile.
    const pins = bases.some((base) => base.pinned !== base.reference.written);
    const dockerfile = pins ? await pinnedDockerfile(spec, bases, tempDir) : spec.dockerfile;
    const args = buildxArgs({ ...spec, dockerfile, tags, labels, metadataFile }, facts);
    deps.log(formatCommand('docker', args));
    const result = await deps.run('docker', args, { cwd: spec.workspaceRoot, stream: true, timeoutMs: spec.buildTimeoutMs });
    if (result.canceled) throw new UserError(`Build of ${spec.projectName} canceled.`);
    if (result.timedOut) {
      const minutes = Math.round(spec.buildTimeoutMs / 60_000);
      throw new BuildFailedError(
        `docker buildx build for ${spec.projectName} did not finish within ${minutes} min and was stopped: raise buildTimeoutMinutes, or find the step that hangs.`,
        [],
      );
    }
    if (result.exitCode !== 0) throw buildFailure(spec, result);
    const metadata = await readBuildMetadata(metadataFile);
    const record: BuildRecord = {
      project: spec.projectName,
      imageName: spec.imageName,
      localTags: tags,
      contentTag,
      platforms: spec.platforms,
      createdAt: deps.now().toISOString(),
      built: true,
      ...metadata,
      ...(bases.length ? { baseImages: baseImagesOf(bases) } : {}),
    };
    const path = await writeBuildRecord(spec.workspaceRoot, spec.projectRoot, record);
    deps.log(`Built ${tags.join(', ')}${metadata.imageId ? ` (${metadata.imageId})` : ''}; record: ${path}`);
    return record;
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

/**
 * The Dockerfile with its base references pinned to the hashed digests, written next to a copy of its own ignore file
 * (BuildKit looks for `<Dockerfile>.dockerignore` beside the Dockerfile, then `<context>/.dockerignore`): the build
 * sees the same context and instructions, only with every base image fixed.
 */
async function pinnedDockerfile(spec: BuildSpec, bases: ResolvedBase[], dir: string): Promise<string> {
  const path = join(dir, 'Dockerfile');
  await writeFile(path, pinDockerfile(await readFile(spec.dockerfilePath, 'utf8'), bases));
  const ignoreFile = `${spec.dockerfilePath}.dockerignore`;
  if (existsSync(ignoreFile)) await copyFile(ignoreFile, `${path}.dockerignore`);
  return path;
}

function buildFailure(spec: BuildSpec, result: RunResult): BuildFailedError {
  const failure = summarizeBuildFailure(`${result.stdout}\n${result.stderr}`);
  const step = failure.step ? ` at ${failure.step}` : '';
  const code = failure.stepExitCode !== undefined ? ` (the step exited ${failure.stepExitCode})` : '';
  return new BuildFailedError(`docker buildx build for ${spec.projectName} failed with exit code ${result.exitCode}${step}${code}.`, [
    ...failure.errors.map((line) => `  ${line}`),
    ...(failure.hint ? [failure.hint] : []),
  ]);
}
