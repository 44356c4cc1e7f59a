// @nx/devkit's readTargetOptions, built from the Nx modules an executor process has loaded already: importing it from
// @nx/devkit loads ~450 more modules (0.3 to 1 s) into every process that runs ecr-push, for this one function.
import type * as Devkit from '@nx/devkit';
import type { ExecutorContext, Target } from '@nx/devkit';
import type * as ExecutorUtils from 'nx/src/command-line/run/executor-utils';
import type * as Params from 'nx/src/utils/params';
import type * as DefaultProject from 'nx/src/config/calculate-default-project-name';
import { relative } from 'node:path';

interface NxInternals {
  executorUtils: typeof ExecutorUtils;
  params: typeof Params;
  defaultProject: typeof DefaultProject;
}

/** Nx's own modules behind readTargetOptions; undefined when this Nx keeps them elsewhere. */
function nxInternals(): NxInternals | undefined {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports -- Nx internals, optional: another Nx version may move them */
    return {
      executorUtils: require('nx/src/command-line/run/executor-utils'),
      params: require('nx/src/utils/params'),
      defaultProject: require('nx/src/config/calculate-default-project-name'),
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  } catch {
    return undefined;
  }
}

/** The options a target runs with when invoked without command-line overrides: target, then configuration, defaults. */
export function readTargetOptions(target: Target, context: ExecutorContext): Record<string, unknown> {
  const nx = nxInternals();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the public API, when the internals moved
  if (!nx) return (require('@nx/devkit') as typeof Devkit).readTargetOptions(target, context);
  const projects = context.projectsConfigurations.projects;
  const targetConfiguration = projects[target.project]?.targets?.[target.target];
  if (!targetConfiguration) throw new Error(`Unable to find target ${target.target} for project ${target.project}`);
  const [nodeModule, executorName] = nx.executorUtils.parseExecutor(targetConfiguration.executor ?? '');
  const { schema } = nx.executorUtils.getExecutorInformation(nodeModule, executorName, context.root, projects);
  const defaultProject = nx.defaultProject.calculateDefaultProjectName(
    context.cwd,
    context.root,
    { version: 2, projects },
    context.nxJsonConfiguration,
  );
  const configuration = target.configuration ?? targetConfiguration.defaultConfiguration ?? '';
  return nx.params.combineOptionsForExecutor(
    {},
    configuration,
    targetConfiguration,
    schema,
    defaultProject,
    relative(context.root, context.cwd),
  );
}
