// The docker-build target ecr-push builds through (`buildTarget`, Nx's convention as in @nx/js:node): its options as
// Nx merges them (readTargetOptions), normalized by docker-build's own normalizeOptions, so a push refuses a bad
// build option before any work and builds exactly what `nx run <project>:docker-build` would.
import type { ExecutorContext, Target } from '@nx/devkit';
import { readTargetOptions } from '../../lib/task/target-options';
import type { BuildSpec } from '../../lib/docker/build-image';
import { UserError } from '../../lib/errors';
import { EXECUTORS } from '../../lib/records/names';
import { normalizeOptions as normalizeBuildOptions } from '../docker-arm64-build/normalize-options';
import type { DockerArm64BuildExecutorSchema } from '../docker-arm64-build/schema';

export const DEFAULT_BUILD_TARGET = 'docker-build';

/**
 * `project:target[:configuration]`, or `target` of this project. Without one: this project's docker-build, under the
 * push's configuration when the build target has it (the generator gives both the same configurations).
 */
export function resolveBuildTarget(buildTarget: string | undefined, context: ExecutorContext): Target {
  const project = context.projectName ?? '';
  const parts = (buildTarget ?? '').split(':');
  const [target, configuration] =
    parts.length === 1 ? [parts[0] || DEFAULT_BUILD_TARGET, undefined] : [parts[1] ?? '', parts.slice(2).join(':') || undefined];
  const resolved: Target = { project: parts.length === 1 ? project : (parts[0] ?? ''), target };
  const config = context.projectsConfigurations?.projects[resolved.project]?.targets?.[target];
  const given = buildTarget ? `buildTarget "${buildTarget}"` : `the default buildTarget "${project}:${DEFAULT_BUILD_TARGET}"`;
  if (!config) {
    throw new UserError(
      `${given} names no target of the workspace: add a ${EXECUTORS.build} target, or set buildTarget to one (project:target[:configuration]).`,
    );
  }
  if (config.executor !== EXECUTORS.build) {
    throw new UserError(
      `${given} uses executor ${config.executor ?? '(none)'}, not ${EXECUTORS.build}: point buildTarget at a ${EXECUTORS.build} target.`,
    );
  }
  const inherited = context.configurationName && config.configurations?.[context.configurationName] ? context.configurationName : undefined;
  return { ...resolved, configuration: configuration ?? inherited };
}

/** The build target's options (target, configuration, then `overrides`), normalized and checked like docker-build's. */
export function readBuildSpec(
  target: Target,
  overrides: Record<string, unknown> | undefined,
  context: ExecutorContext,
  env: NodeJS.ProcessEnv,
): BuildSpec {
  const options: DockerArm64BuildExecutorSchema = { ...readTargetOptions(target, context), ...(overrides ?? {}) };
  const buildContext = { ...context, projectName: target.project, targetName: target.target, configurationName: target.configuration };
  return normalizeBuildOptions(options, buildContext, env);
}
