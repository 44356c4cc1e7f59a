// Executor nx-agent-ecr:ecs-deploy: this run's pushed digest → task definition (registered only when it differs
// from the family's latest active revision) → UpdateService → wait for the rollout → deploy.json.
import { logger, type ExecutorContext } from '@nx/devkit';
import { checkCredentials, describeCredentialSource } from '../../lib/aws/credentials';
import { runDeployTask, type DeployTaskDeps } from '../../lib/deploy/deploy-task';
import { pollOptions, workspaceHead } from '../../lib/deploy/deploy-target';
import { describeService, latestRevision } from '../../lib/deploy/ecs-rollout';
import { readPushedImage } from '../../lib/deploy/pushed-image';
import { checkTaskDefinition, renderTaskDefinition } from '../../lib/deploy/task-definition';
import { runProcess, withSignal, type ProcessRunner } from '../../lib/process';
import { applyEcsPlan } from './apply';
import { normalizeOptions } from './normalize-options';
import { formatEcsPlan, planEcsDeploy } from './plan';
import type { EcsDeployExecutorSchema } from './schema';

export interface EcsDeployDeps extends DeployTaskDeps {
  run: ProcessRunner;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export const defaultDeps = (): EcsDeployDeps => ({ run: runProcess, env: process.env });

export async function ecsDeployExecutor(
  options: EcsDeployExecutorSchema,
  context: ExecutorContext,
  deps: EcsDeployDeps = defaultDeps(),
): Promise<{ success: boolean }> {
  return runDeployTask('ecs-deploy', context, deps, async ({ signal, scope, facts }) => {
    const { target, template, service, otherImages } = normalizeOptions(options, context, deps.env);
    const { naming } = target;
    facts.environment = naming.environment;
    const head = await workspaceHead(withSignal(deps.run, signal), target.workspaceRoot);
    const image = await readPushedImage({ ...target, ...naming, head });
    Object.assign(facts, { image: image.imageRef, digest: image.digest });
    // Other projects' images in the same task (langfuse's worker) pass the same checks as this project's.
    const others: Record<string, string> = {};
    for (const other of otherImages) {
      const pushed = await readPushedImage({ ...other, workspaceRoot: target.workspaceRoot, environment: naming.environment, head });
      others[`image:${other.project}`] = pushed.imageRef;
    }
    checkTaskDefinition(template.json, template.file, image.platforms);

    const ports = scope.aws({ region: target.region, profile: target.profile, maxAttempts: target.maxAwsAttempts }, signal);
    const identity = await checkCredentials(ports.sts, describeCredentialSource(target.profile, deps.env));
    const values = {
      ...others,
      accountId: identity.account,
      region: await ports.region(),
      projectName: naming.projectName,
      environment: naming.environment,
      service: naming.service,
      image: image.imageRef,
    };
    const desired = renderTaskDefinition(template.json, values, deps.env);
    const current = await latestRevision(ports.ecs, desired.family as string);
    const running = service ? { ref: service, running: await describeService(ports.ecs, service) } : undefined;
    const plan = planEcsDeploy(desired, current, running);
    const result = { environment: naming.environment, image: image.imageRef, digest: image.digest };

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
