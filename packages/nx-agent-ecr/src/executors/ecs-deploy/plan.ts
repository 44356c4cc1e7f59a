// ecs-deploy's plan, purely: from the rendered task definition and what ECS holds now, whether to register a new
// revision and whether to move the service, and the lines a dry run prints.
import type { RegisterTaskDefinitionCommandInput, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { ServiceRef } from '../../lib/deploy/ecs-rollout';
import { sameTaskDefinition } from '../../lib/deploy/task-definition';

export interface EcsPlan {
  desired: RegisterTaskDefinitionCommandInput;
  /** The family's latest ACTIVE revision, undefined when it has none. */
  current?: TaskDefinition;
  /** Register a new revision: there is none, or the latest differs from `desired` (ECS defaults aside). */
  register: boolean;
  service?: ServiceRef;
  /** Point the service at the task definition: a new revision, or a service running another one. */
  update: boolean;
}

export function planEcsDeploy(
  desired: RegisterTaskDefinitionCommandInput,
  current: TaskDefinition | undefined,
  service?: { ref: ServiceRef; running: Service },
): EcsPlan {
  const register = !current || !sameTaskDefinition(desired, current);
  const update = service !== undefined && (register || service.running.taskDefinition !== current?.taskDefinitionArn);
  return { desired, current, register, update, ...(service ? { service: service.ref } : {}) };
}

export function formatEcsPlan(plan: EcsPlan, imageRef: string): string[] {
  const { service } = plan;
  return [
    `image ${imageRef}`,
    plan.register
      ? `task definition ${plan.desired.family}: would register a new revision`
      : `task definition ${plan.current?.taskDefinitionArn}: unchanged`,
    ...(service
      ? [`service ${service.cluster}/${service.service}: ${plan.update ? 'would update and wait for the rollout' : 'already runs it'}`]
      : []),
  ];
}
