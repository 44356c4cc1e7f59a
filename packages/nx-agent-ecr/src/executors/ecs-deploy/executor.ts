// Executor nx-agent-ecr:ecs-deploy: this run's pushed digest → task definition (registered only when it differs
// from the family's latest active revision) → UpdateService → wait for the rollout → deploy.json.
import { logger, type ExecutorContext } from '@nx/devkit';
import { createEcsDeployPorts, type AwsTarget, type EcsDeployPorts } from '../../lib/aws';
import { checkCredentials, describeCredentialSource } from '../../lib/credentials';
import { runDeployTask, type DeployResult } from '../../lib/deploy/deploy-task';
import { pollOptions, workspaceHead } from '../../lib/deploy/deploy-target';
import { describeService, latestRevision, waitForRollout } from '../../lib/deploy/ecs-rollout';
import { readPushedImage } from '../../lib/deploy/pushed-image';
import { checkTaskDefinition, renderTaskDefinition, sameTaskDefinition } from '../../lib/deploy/task-definition';
import { runProcess, type ProcessRunner } from '../../lib/process';
import { normalizeOptions } from './normalize-options';
import type { EcsDeployExecutorSchema } from './schema';

export interface EcsDeployDeps {
  run: ProcessRunner;
  aws: (target: AwsTarget) => EcsDeployPorts;
  env: NodeJS.ProcessEnv;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export const defaultDeps = (): EcsDeployDeps => ({ run: runProcess, aws: createEcsDeployPorts, env: process.env });

export async function ecsDeployExecutor(options: EcsDeployExecutorSchema, context: ExecutorContext, deps: EcsDeployDeps = defaultDeps()): Promise<{ success: boolean }> {
  return runDeployTask('ecs-deploy', context, deps.env, async ({ signal, facts }): Promise<DeployResult> => {
    const { target, template, service, otherImages } = normalizeOptions(options, context, deps.env);
    const { naming } = target;
    facts.environment = naming.environment;
    const head = await workspaceHead(deps.run, target.workspaceRoot);
    const image = await readPushedImage({ ...target, ...naming, head });
    Object.assign(facts, { image: image.imageRef, digest: image.digest });
    // Other projects' images in the same task (langfuse's worker) pass the same checks as this project's.
    const others: Record<string, string> = {};
    for (const other of otherImages) {
      const pushed = await readPushedImage({ ...other, workspaceRoot: target.workspaceRoot, environment: naming.environment, head });
      others[`image:${other.project}`] = pushed.imageRef;
    }
    checkTaskDefinition(template.json, template.file, image.platforms);

    const ports = deps.aws({ region: target.region, profile: target.profile, maxAttempts: target.maxAwsAttempts });
    const identity = await checkCredentials(ports.sts, describeCredentialSource(target.profile, deps.env));
    const values = { ...others, accountId: identity.account, region: await ports.region(), projectName: naming.projectName, environment: naming.environment, service: naming.service, image: image.imageRef };
    const desired = renderTaskDefinition(template.json, values, deps.env);
    const current = await latestRevision(ports.ecs, desired.family as string, signal);
    const running = service ? await describeService(ports.ecs, service, signal) : undefined;
    const register = !current || !sameTaskDefinition(desired, current);
    const update = running !== undefined && (register || running.taskDefinition !== current?.taskDefinitionArn);

    if (target.dryRun) {
      logger.info(
        [
          'Dry run (read-only calls only: STS, DescribeTaskDefinition, DescribeServices); nothing registered or updated.',
          `image ${image.imageRef}`,
          register ? `task definition ${desired.family}: would register a new revision` : `task definition ${current?.taskDefinitionArn}: unchanged`,
          ...(service ? [`service ${service.cluster}/${service.service}: ${update ? 'would update and wait for the rollout' : 'already runs it'}`] : []),
        ].join('\n  '),
      );
      return { environment: naming.environment, outcome: 'dry-run', image: image.imageRef, digest: image.digest, changes: [] };
    }

    const changes: string[] = (facts.changes = []);
    let definition = current;
    if (register) {
      definition = (await ports.ecs.registerTaskDefinition(desired, signal)).taskDefinition;
      changes.push(`RegisterTaskDefinition ${definition?.family}:${definition?.revision}`);
      logger.info(`Registered ${definition?.taskDefinitionArn} with ${image.imageRef}`);
    } else {
      logger.info(`Task definition unchanged: ${current?.taskDefinitionArn} already runs ${image.imageRef}; nothing registered.`);
    }
    const arn = definition?.taskDefinitionArn as string;
    facts.ecs = { taskDefinitionArn: arn, revision: definition?.revision };
    if (service) {
      facts.ecs = { ...facts.ecs, ...service };
      if (update) {
        await ports.ecs.updateService({ ...service, taskDefinition: arn }, signal);
        changes.push(`UpdateService ${service.cluster}/${service.service}`);
      }
      if (target.wait) {
        const view = await waitForRollout(ports.ecs, service, arn, pollOptions(target, signal, { sleep: deps.sleep, now: deps.now }));
        facts.ecs = { ...facts.ecs, deploymentId: view.deploymentId, rolloutState: view.rolloutState ?? 'running = desired' };
        logger.info(`${service.cluster}/${service.service}: rollout of ${arn.split('/').pop()} completed.`);
      } else {
        logger.info(`${service.cluster}/${service.service}: ${update ? 'updated' : 'already on it'}; not waiting for the rollout (wait: false).`);
      }
    } else {
      logger.info('No cluster and service given: the task definition is registered only.');
    }
    return { environment: naming.environment, outcome: changes.length > 0 ? 'deployed' : 'unchanged', image: image.imageRef, digest: image.digest, changes, ecs: facts.ecs };
  });
}

export default ecsDeployExecutor;
