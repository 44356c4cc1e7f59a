// The inputs of a project's deploy targets (pure): the deploy file each one reads and the outputs of the tasks it
// waits for (the pushes, whose records name the digests; infer-targets declares ecr-push.json as the push's output).
// No image files and no npm packages: a deploy is affected when its file changes or a push it waits for is.
import type { TargetConfiguration } from '@nx/devkit';
import { DEFAULT_DEPLOY_FILES } from '../deploy/deploy-file';
import { EXECUTORS, recordOutput } from '../records/names';

type Input = NonNullable<TargetConfiguration['inputs']>[number];

/** The option naming each deploy executor's file, and the file it reads when the option is unset. */
const DEPLOY_FILE_OPTIONS: Record<string, { option: string; file: string }> = {
  [EXECUTORS.ecsDeploy]: { option: 'taskDefinition', file: DEFAULT_DEPLOY_FILES.ecs },
  [EXECUTORS.agentcoreDeploy]: { option: 'config', file: DEFAULT_DEPLOY_FILES.agentCore },
};

/** What the deploy reads from its dependencies: the push records (and the build records before them). */
export const DEPLOY_DEPENDENCY_INPUTS: Input[] = [{ dependentTasksOutputFiles: '**/*' }, { externalDependencies: [] }];

/** The inferred deploy targets of one project.json, each with its inputs; empty when it has none. */
export function inferDeployTargets(projectRoot: string, targets: Record<string, TargetConfiguration>): Record<string, TargetConfiguration> {
  const inferred: Record<string, TargetConfiguration> = {};
  for (const [name, target] of Object.entries(targets)) {
    const reads = target.executor === undefined ? undefined : DEPLOY_FILE_OPTIONS[target.executor];
    if (!reads) continue;
    // The options and every configuration over them may name a file (workspace-relative, as the executor reads it).
    const base = (target.options ?? {}) as Record<string, unknown>;
    const named = [base, ...Object.values(target.configurations ?? {}).map((c) => ({ ...base, ...(c as Record<string, unknown>) }))];
    const files = named.map(({ [reads.option]: file }) =>
      typeof file === 'string' && file ? file : `${projectRoot ? `${projectRoot}/` : ''}${reads.file}`,
    );
    inferred[name] = {
      executor: target.executor,
      inputs: [...new Set(files)].map((file): Input => `{workspaceRoot}/${file.replace(/^\.\//, '')}`).concat(DEPLOY_DEPENDENCY_INPUTS),
      outputs: [recordOutput('deploy')],
    };
  }
  return inferred;
}
