// Phase 1 of a push: both option sets — the push's and its build target's — normalized and checked, so bad input
// fails in one line before any AWS call, hashing or process. Batch implementations call it once per task.
import type { ExecutorContext, Target } from '@nx/devkit';
import type { AwsTarget } from '../../lib/aws/clients';
import type { BuildSpec } from '../../lib/docker/build-image';
import { readBuildSpec, resolveBuildTarget } from './build-target';
import { normalizeOptions, type NormalizedOptions } from './normalize-options';
import type { EcrPushExecutorSchema } from './schema';

export interface PreparedPush {
  push: NormalizedOptions;
  buildTarget: Target;
  build: BuildSpec;
  aws: AwsTarget;
}

export function preparePush(options: EcrPushExecutorSchema, context: ExecutorContext, env: NodeJS.ProcessEnv): PreparedPush {
  const push = normalizeOptions(options, context, env);
  const buildTarget = resolveBuildTarget(options.buildTarget, context);
  const build = readBuildSpec(buildTarget, options.buildTargetOptions, context, env);
  return {
    push,
    buildTarget,
    build,
    aws: push.target,
  };
}

export const targetString = (target: Target) =>
  `${target.project}:${target.target}${target.configuration ? `:${target.configuration}` : ''}`;
