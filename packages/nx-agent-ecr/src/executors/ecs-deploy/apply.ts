// ecs-deploy's writes, in an order where a failure leaves nothing inconsistent: register the revision (when the plan
// says so), point the service at it, then wait for the rollout. `facts` grows as each step lands, for deploy.json.
import { logger } from '@nx/devkit';
import type { EcsPort } from '../../lib/aws/clients';
import type { DeployResult } from '../../lib/deploy/deploy-task';
import { waitForRollout } from '../../lib/deploy/ecs-rollout';
import type { PollOptions } from '../../lib/deploy/poll';
import type { EcsPlan } from './plan';

/** Applies `plan`; `wait` (the poll policy) is undefined when the deploy should not wait for the rollout. */
export async function applyEcsPlan(
  ecs: EcsPort,
  plan: EcsPlan,
  imageRef: string,
  wait: PollOptions | undefined,
  facts: Partial<DeployResult>,
) {
  const changes: string[] = (facts.changes = []);
  let definition = plan.current;
  if (plan.register) {
    definition = (await ecs.registerTaskDefinition(plan.desired)).taskDefinition;
    changes.push(`RegisterTaskDefinition ${definition?.family}:${definition?.revision}`);
    logger.info(`Registered ${definition?.taskDefinitionArn} with ${imageRef}`);
  } else {
    logger.info(`Task definition unchanged: ${plan.current?.taskDefinitionArn} already runs ${imageRef}; nothing registered.`);
  }
  const arn = definition?.taskDefinitionArn as string;
  facts.ecs = { taskDefinitionArn: arn, revision: definition?.revision };
  const { service } = plan;
  if (!service) {
    logger.info('No cluster and service given: the task definition is registered only.');
    return;
  }
  facts.ecs = { ...facts.ecs, ...service };
  if (plan.update) {
    await ecs.updateService({ ...service, taskDefinition: arn });
    changes.push(`UpdateService ${service.cluster}/${service.service}`);
  }
  if (!wait) {
    logger.info(
      `${service.cluster}/${service.service}: ${plan.update ? 'updated' : 'already on it'}; not waiting for the rollout (wait: false).`,
    );
    return;
  }
  const view = await waitForRollout(ecs, service, arn, wait);
  facts.ecs = { ...facts.ecs, deploymentId: view.deploymentId, rolloutState: view.rolloutState ?? 'running = desired' };
  logger.info(`${service.cluster}/${service.service}: rollout of ${arn.split('/').pop()} completed.`);
}
