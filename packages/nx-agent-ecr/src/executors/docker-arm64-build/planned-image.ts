// The image docker-build would make for a project, without building it: its content tag and local reference.
// ecr-push's dry run plans from this (the build it depends on builds nothing in a dry run).
import type { ExecutorContext } from '@nx/devkit';
import { computeContentTag } from '../../lib/content/content-tag';
import { UserError } from '../../lib/errors';
import { EXECUTORS } from '../../lib/records/names';
import { dependencyTasks, projectTargetWith } from '../../lib/task/task-graph';
import { normalizeOptions } from './normalize-options';
import type { DockerArm64BuildExecutorSchema } from './schema';

export interface PlannedImage {
  contentTag: string;
  /** `<imageName>:<contentTag>`, the reference a build would tag. */
  localRef: string;
}

/** From the docker-build task this task waits for, else the project's docker-build target. */
export async function plannedImage(context: ExecutorContext, env: NodeJS.ProcessEnv = process.env): Promise<PlannedImage> {
  const build =
    dependencyTasks(context).find((task) => task.executor === EXECUTORS.build && task.project === context.projectName) ??
    projectTargetWith(context, EXECUTORS.build, 'docker-build');
  if (!build) {
    throw new UserError(
      `Project "${context.projectName}" has no ${EXECUTORS.build} target to plan the image from: add a docker-build target.`,
    );
  }
  const options = normalizeOptions(build.options as DockerArm64BuildExecutorSchema, { ...context, projectName: build.project }, env);
  const contentTag = await computeContentTag(options);
  return { contentTag, localRef: `${options.imageName}:${contentTag}` };
}
