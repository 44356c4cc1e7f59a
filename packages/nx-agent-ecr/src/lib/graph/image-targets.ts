// Finds a project's image targets and where their Dockerfile, context and ignore file are (pure).
import type { TargetConfiguration } from '@nx/devkit';
import { normalizeContextPath } from '../docker/dockerfile-sources';
import { EXECUTORS } from '../records/names';

export interface ImageBuild {
  /** Target name, e.g. "docker-build"; undefined for a bare Dockerfile without a build target. */
  target?: string;
  /** Workspace-relative paths ("" is the workspace root). */
  dockerfile: string;
  contextDir: string;
}

interface BuildOptions {
  dockerfile?: unknown;
  context?: unknown;
}

function buildFrom(projectRoot: string, target: string | undefined, options: BuildOptions | undefined): ImageBuild {
  const dockerfile = typeof options?.dockerfile === 'string' ? options.dockerfile : `${projectRoot}/Dockerfile`;
  const context = typeof options?.context === 'string' ? options.context : projectRoot;
  return { target, dockerfile: normalizeContextPath(dockerfile), contextDir: normalizeContextPath(context) };
}

/**
 * Every (Dockerfile, context) pair the project's docker-arm64-build targets can use: the options and each
 * configuration that changes them. With no such target, a Dockerfile at the project root counts as a build
 * with the executor's defaults.
 */
export function imageBuilds(
  projectRoot: string,
  targets: Record<string, TargetConfiguration> | undefined,
  hasRootDockerfile: boolean,
): ImageBuild[] {
  const builds: ImageBuild[] = [];
  for (const [name, target] of Object.entries(targets ?? {})) {
    if (target.executor !== EXECUTORS.build) continue;
    const base = (target.options ?? {}) as BuildOptions;
    builds.push(buildFrom(projectRoot, name, base));
    for (const configuration of Object.values(target.configurations ?? {})) {
      builds.push(buildFrom(projectRoot, name, { ...base, ...(configuration as BuildOptions) }));
    }
  }
  if (builds.length === 0 && hasRootDockerfile) builds.push(buildFrom(projectRoot, undefined, undefined));
  const seen = new Set<string>();
  return builds.filter((build) => {
    const key = `${build.target}\0${build.dockerfile}\0${build.contextDir}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Names of the project's ecr-push targets. */
export function pushTargets(targets: Record<string, TargetConfiguration> | undefined): string[] {
  return Object.entries(targets ?? {})
    .filter(([, target]) => target.executor === EXECUTORS.push)
    .map(([name]) => name);
}

/**
 * The ignore files that can decide the context, as the builder picks them: "<Dockerfile>.dockerignore" when it
 * exists, else "<context>/.dockerignore". The Dockerfile-specific path is always listed, so creating it counts.
 */
export function ignoreFileCandidates(build: ImageBuild, exists: (file: string) => boolean): { active?: string; watched: string[] } {
  const specific = `${build.dockerfile}.dockerignore`;
  if (exists(specific)) return { active: specific, watched: [specific] };
  const shared = [build.contextDir, '.dockerignore'].filter((part) => part !== '').join('/');
  return { active: exists(shared) ? shared : undefined, watched: [shared, specific] };
}
