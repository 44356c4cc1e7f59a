// Executor nx-agent-ecr:ecs-deploy: this run's pushed digest → task definition (registered only when it differs
// from the family's latest active revision) → UpdateService → wait for the rollout → deploy.json.
import { logger, type ExecutorContext } from '@nx/devkit';
import { awsForDeploy, defaultDeployDeps, thisRunsImage, type DeployDeps } from '../../lib/deploy/deploy-steps';
import { runDeployTask } from '../../lib/deploy/deploy-task';
import { pollOptions } from '../../lib/deploy/deploy-target';
import { describeService, latestRevision } from '../../lib/deploy/ecs-rollout';
import { readPushedImage } from '../../lib/deploy/pushed-image';
import { checkTaskDefinition, renderTaskDefinition } from '../../lib/deploy/task-definition';
import { applyEcsPlan } from './apply';
import { normalizeOptions } from './normalize-options';
import { formatEcsPlan, planEcsDeploy } from './plan';
import type { EcsDeployExecutorSchema } from './schema';

export type EcsDeployDeps = DeployDeps;
export const defaultDeps = defaultDeployDeps;

export async function ecsDeployExecutor(
  options: EcsDeployExecutorSchema,
  context: ExecutorContext,
  deps: EcsDeployDeps = defaultDeps(),
): Promise<{ success: boolean }> {
  return runDeployTask('ecs-deploy', context, deps, async (progress) => {
    const { target, template, service, otherImages } = normalizeOptions(options, context, deps.env);
    const { facts, signal } = progress;
    facts.environment = target.naming.environment;
    const { image, head } = await thisRunsImage(target, deps, progress);
    // Other projects' images in the same task (langfuse's worker) pass the same checks as this project's.
    const others: Record<string, string> = {};
    for (const other of otherImages) {
      const pushed = await readPushedImage({ ...other, workspaceRoot: target.workspaceRoot, environment: target.naming.environment, head });
      others[`image:${other.project}`] = pushed.imageRef;
    }
    checkTaskDefinition(template.json, template.file, image.platforms);

    const { ports, values } = await awsForDeploy(target, image, deps, progress);
    const desired = renderTaskDefinition(template.json, { ...others, ...values }, deps.env);
    const current = await latestRevision(ports.ecs, desired.family as string);
    const running = service ? { ref: service, running: await describeService(ports.ecs, service) } : undefined;
    const plan = planEcsDeploy(desired, current, running);
    const result = { environment: target.naming.environment, image: image.imageRef, digest: image.digest };

    if (target.dryRun) {
      const intro = 'Dry run (read-only calls only: STS, DescribeTaskDefinition, DescribeServices); nothing registered or updated.';
      logger.info([intro, ...formatEcsPlan(plan, image.imageRef)].join('\n  '));
      return { ...result, outcome: 'dry-run', changes: [] };
    }
    const wait = target.wait ? pollOptions(target, signal, { sleep: deps.sleep, now: deps.now }) : undefined;
    await applyEcsPlan(ports.ecs, plan, image.imageRef, wait, facts);
    const changes = facts.changes ?? [];
    return { ...result, outcome: changes.length > 0 ? 'deployed' : 'unchanged', changes, ecs: facts.ecs };
  });
}

export default ecsDeployExecutor;
