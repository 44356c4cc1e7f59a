// ecs-deploy options → NormalizedOptions, refusing bad input in one line before any AWS call: the template file
// (missing, not JSON, unknown placeholders, unset variables) and a cluster without a service or the reverse.
import type { ExecutorContext } from '@nx/devkit';
import { UserError } from '../../lib/errors';
import { DEFAULT_DEPLOY_FILES, readDeployFile, type DeployFile } from '../../lib/deploy/deploy-file';
import { resolveDeployTarget, type DeployTarget } from '../../lib/deploy/deploy-target';
import type { ServiceRef } from '../../lib/deploy/ecs-rollout';
import { checkPlaceholders, findPlaceholders, PLACEHOLDER_NAMES } from '../../lib/deploy/placeholders';
import { resolveWorkspaceNaming } from '../../lib/ecr/naming';
import type { EcsDeployExecutorSchema } from './schema';

/** Another project of the workspace whose pushed image a container runs (`{{image:<project>}}`). */
export interface OtherImage {
  project: string;
  projectRoot: string;
  repositoryName: string;
}

export interface NormalizedOptions {
  target: DeployTarget;
  template: DeployFile;
  otherImages: OtherImage[];
  /** The service to roll out; undefined registers the task definition only. */
  service?: ServiceRef;
}

export function normalizeOptions(options: EcsDeployExecutorSchema, context: ExecutorContext, env: NodeJS.ProcessEnv): NormalizedOptions {
  // `service` here is the ECS service; the repository's service part is the Nx project name (or repositoryName).
  const target = resolveDeployTarget('ecs-deploy', { ...options, service: undefined }, context, env, {
    timeoutSeconds: 900,
    pollSeconds: 10,
  });
  if (Boolean(options.cluster) !== Boolean(options.service)) {
    const lone = options.cluster ? `cluster "${options.cluster}" has no service` : `service "${options.service}" has no cluster`;
    throw new UserError(`cluster and service go together: ${lone}; set both to roll out, or neither to register the task definition only.`);
  }
  const file = options.taskDefinition ?? `${target.projectRoot}/${DEFAULT_DEPLOY_FILES.ecs}`;
  const template = readDeployFile(
    context.root,
    file,
    'nx g agent-service writes one for the langgraph, snowflake-cortex and langfuse templates; or set the taskDefinition option',
  );
  const otherImages = [
    ...new Set(findPlaceholders(template.json).flatMap((p) => (p.name.startsWith('image:') ? [p.name.slice(6)] : []))),
  ].map((project) => {
    const projectRoot = context.projectsConfigurations?.projects[project]?.root;
    if (projectRoot === undefined)
      throw new UserError(
        `${template.file}: {{image:${project}}} names no project of this workspace; use an Nx project that has an ecr-push target.`,
      );
    const naming = resolveWorkspaceNaming(
      { projectName: options.projectName, environment: target.naming.environment },
      context.root,
      project,
      env,
    );
    return { project, projectRoot, repositoryName: naming.repositoryName };
  });
  checkPlaceholders(template.json, template.file, env, [...PLACEHOLDER_NAMES, ...otherImages.map((o) => `image:${o.project}`)]);
  return {
    target,
    template,
    otherImages,
    ...(options.cluster && options.service ? { service: { cluster: options.cluster, service: options.service } } : {}),
  };
}
