// Options with their defaults applied and every cheap check done: bad input fails here, before any long work.
import type { ExecutorContext } from '@nx/devkit';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { BuildSpec } from '../../lib/docker/build-image';
import { parseCsvAttributes } from '../../lib/docker/buildx-args';
import { BuildPreconditionError } from '../../lib/docker/probes';
import type { DockerArm64BuildExecutorSchema } from './schema';

/** The build's inputs as buildx sees them, plus where they came from: lib/docker/build-image.ts's BuildSpec. */
export type NormalizedOptions = BuildSpec;

export function normalizeOptions(
  options: DockerArm64BuildExecutorSchema,
  context: ExecutorContext,
  env: NodeJS.ProcessEnv = process.env,
): NormalizedOptions {
  const projectName = context.projectName;
  const projectRoot = projectName ? context.projectsConfigurations?.projects[projectName]?.root : undefined;
  if (!projectName || projectRoot === undefined) {
    throw new BuildPreconditionError(`docker-arm64-build needs a project: run it as a project target (nx run <project>:docker-build).`);
  }
  const workspaceRoot = context.root;
  const contextDir = resolve(workspaceRoot, options.context ?? projectRoot);
  const dockerfilePath = resolve(workspaceRoot, options.dockerfile ?? join(projectRoot, 'Dockerfile'));
  checkContext(options.context ?? projectRoot, contextDir, workspaceRoot);
  if (!existsSync(dockerfilePath) || !statSync(dockerfilePath).isFile()) {
    throw new BuildPreconditionError(
      `Dockerfile not found: tried ` +
        `${dockerfilePath}${options.dockerfile ? ` (dockerfile: "${options.dockerfile}")` : ' (the default <projectRoot>/Dockerfile)'}: ` +
        `create it or set the dockerfile option.`,
    );
  }
  const platforms = options.platforms && options.platforms.length > 0 ? options.platforms : ['linux/arm64'];
  const push = options.push ?? false;
  const load = options.load ?? !(platforms.length > 1 && push);
  if (platforms.length > 1 && load) {
    throw new BuildPreconditionError(
      `A multi-platform image (${platforms.join(', ')}) cannot be loaded into the local ` +
        `engine: set push: true (--push) and load: false, or build a single platform.`,
    );
  }
  const imageName = options.imageName ?? projectName;
  const secrets = options.secrets ?? [];
  secrets.forEach((secret) => checkSecret(secret, workspaceRoot, env));
  return {
    projectName,
    projectRoot,
    workspaceRoot,
    dockerfile: relative(workspaceRoot, dockerfilePath),
    dockerfilePath,
    context: relative(workspaceRoot, contextDir) || '.',
    contextDir,
    platforms,
    imageName,
    extraTags: (options.tags ?? []).map((tag) => (/[:/]/.test(tag) ? tag : `${imageName}:${tag}`)),
    buildArgs: definedEntries(options.buildArgs),
    target: options.target,
    labels: definedEntries(options.labels),
    secrets,
    cacheFrom: toList(options.cacheFrom).map((spec) => withProjectName(spec, projectName)),
    cacheTo: toList(options.cacheTo).map((spec) => withProjectName(spec, projectName)),
    builder: options.builder,
    createBuilder: options.createBuilder ?? false,
    load,
    push,
    pull: options.pull ?? false,
    noCache: options.noCache ?? false,
    provenance: options.provenance ?? false,
    sbom: options.sbom ?? false,
    dryRun: options.dryRun ?? false,
    buildTimeoutMs: (options.buildTimeoutMinutes ?? 60) * 60_000,
    commandTimeoutMs: (options.commandTimeoutSeconds ?? 120) * 1000,
  };
}

function checkContext(given: string, contextDir: string, workspaceRoot: string): void {
  const rel = relative(workspaceRoot, contextDir);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new BuildPreconditionError(
      `Build context "${given}" resolves to ${contextDir}, outside the workspace ` +
        `${workspaceRoot}: use a directory inside it ("." for the workspace root).`,
    );
  }
  if (!existsSync(contextDir) || !statSync(contextDir).isDirectory()) {
    throw new BuildPreconditionError(
      `Build context not found: tried ${contextDir} (context: "${given}"): create it or fix the context option.`,
    );
  }
}

// buildx reads secrets when the build reaches them; a missing one should fail now, not after the slow steps.
function checkSecret(spec: string, workspaceRoot: string, env: NodeJS.ProcessEnv): void {
  const attributes = new Map(parseCsvAttributes(spec));
  const id = attributes.get('id');
  const variable = attributes.get('env');
  const file = attributes.get('src') ?? attributes.get('source');
  if (!id || (!variable && !file)) {
    throw new BuildPreconditionError(
      `Secret "${spec}" needs an id and a source: write it as "id=<id>,env=<VARIABLE>" or "id=<id>,src=<file>".`,
    );
  }
  if (variable && env[variable] === undefined) {
    throw new BuildPreconditionError(
      `Secret "${id}" reads environment variable ${variable}, which is not set: export ${variable} before building.`,
    );
  }
  if (file && !existsSync(resolve(workspaceRoot, file))) {
    throw new BuildPreconditionError(
      `Secret "${id}" reads file ${resolve(workspaceRoot, file)}, which does not exist: create it or fix src.`,
    );
  }
}

/** `{projectName}` in a cache spec: one command line (`nx affected … --cacheFrom=…:{projectName}`) gives each project its own cache. */
function withProjectName(spec: string, projectName: string): string {
  return spec.replaceAll('{projectName}', projectName);
}

function toList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((spec) => spec.trim() !== '');
}

function definedEntries(record: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
}
