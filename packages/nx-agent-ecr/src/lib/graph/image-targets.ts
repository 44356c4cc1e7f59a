// Finds a project's image targets and where their Dockerfile, context and ignore file are (pure).
import type { TargetConfiguration } from '@nx/devkit';
import type { ContextSpec } from '../docker/context';
import { normalizeContextPath } from '../docker/dockerfile-sources';
import { EXECUTORS } from '../records/names';

/** One (Dockerfile, context) pair a project builds, workspace-relative ("" is the workspace root). */
export interface ImageBuild extends ContextSpec {
  /** Target name, e.g. "docker-build"; undefined for a bare Dockerfile without a build target. */
  target?: string;
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

/** A project's ecr-push target and the build target it delivers through (its `buildTarget` option). */
export interface PushTarget {
  name: string;
  /** The build target's project; undefined for this project. */
  buildProject?: string;
  buildTarget: string;
}

/** The project's ecr-push targets; `buildTarget` is `project:target[:configuration]` or `target`, default docker-build. */
export function pushTargets(targets: Record<string, TargetConfiguration> | undefined): PushTarget[] {
  return Object.entries(targets ?? {})
    .filter(([, target]) => target.executor === EXECUTORS.push)
    .map(([name, target]) => {
      const option = (target.options as { buildTarget?: unknown } | undefined)?.buildTarget;
      const parts = typeof option === 'string' && option !== '' ? option.split(':') : ['docker-build'];
      return parts.length === 1 ? { name, buildTarget: parts[0] ?? '' } : { name, buildProject: parts[0], buildTarget: parts[1] ?? '' };
    });
}

/** Names of the project's targets that use `executor` (its ecr-push targets by default). */
export function targetsUsing(targets: Record<string, TargetConfiguration> | undefined, executor: string = EXECUTORS.push): string[] {
  return Object.entries(targets ?? {})
    .filter(([, target]) => target.executor === executor)
    .map(([name]) => name);
}
