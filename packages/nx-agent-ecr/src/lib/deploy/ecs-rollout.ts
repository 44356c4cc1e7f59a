// An ECS rollout: find the service before anything is written, then wait, with a deadline, until the deployment
// of the new task definition completes (rolloutState), or, where ECS reports no rolloutState, until it runs
// the desired count. A failed rollout and a passed deadline carry the service's last events.
import type { Deployment, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { EcsPort } from '../aws/clients';
import { awsErrorName } from '../aws/errors';
import { UserError } from '../errors';
import { DeadlineError, pollUntil, type PollOptions } from './poll';

/** How many of the service's newest events a failure shows. */
export const EVENTS_SHOWN = 5;

export interface RolloutView {
  state: 'completed' | 'failed' | 'in-progress' | 'not-started';
  deploymentId?: string;
  rolloutState?: string;
  reason?: string;
  running?: number;
  desired?: number;
  /** Newest first, `<time> <message>`. */
  events: string[];
}

/** A failure of the rollout itself (FAILED, or the deadline): the one line, plus the events to print under it. */
export class RolloutError extends UserError {
  constructor(
    message: string,
    readonly view: RolloutView,
  ) {
    super(message);
    this.name = 'RolloutError';
  }
}

export interface ServiceRef {
  cluster: string;
  service: string;
}

/** The family's latest ACTIVE revision, or undefined when the family has none yet. */
export async function latestRevision(ecs: EcsPort, family: string): Promise<TaskDefinition | undefined> {
  try {
    return (await ecs.describeTaskDefinition({ taskDefinition: family })).taskDefinition;
  } catch (error) {
    // ECS answers a family without ACTIVE revisions with ClientException "Unable to describe task definition".
    if (awsErrorName(error) === 'ClientException' && /unable to describe task definition/i.test(String((error as Error).message)))
      return undefined;
    throw error;
  }
}

/** The service, or a one-line error when the cluster or the service does not exist (checked before any write). */
export async function describeService(ecs: EcsPort, ref: ServiceRef): Promise<Service> {
  const where = `ECS service "${ref.service}" in cluster "${ref.cluster}"`;
  const answer = await ecs.describeServices({ cluster: ref.cluster, services: [ref.service] }).catch((error: unknown) => {
    if (awsErrorName(error) === 'ClusterNotFoundException')
      throw new UserError(`No ECS cluster "${ref.cluster}": create it, or fix the cluster option.`);
    throw error;
  });
  const found = answer.services?.find((s) => s.serviceName === ref.service || s.serviceArn?.endsWith(`/${ref.service}`));
  if (!found || found.status !== 'ACTIVE') {
    throw new UserError(
      `${where} ${found ? `is ${found.status}` : 'does not exist'}: ` +
        'create the service (the deploy only updates it), or fix the service option.',
    );
  }
  return found;
}

/** Where the rollout of `taskDefinitionArn` stands in one DescribeServices answer. */
export function rolloutView(service: Service, taskDefinitionArn: string): RolloutView {
  const events = (service.events ?? [])
    .slice(0, EVENTS_SHOWN)
    .map((e) => `${e.createdAt ? new Date(e.createdAt).toISOString() : '-'} ${e.message ?? ''}`.trim());
  const ours = (service.deployments ?? []).filter((d) => d.taskDefinition === taskDefinitionArn);
  const deployment: Deployment | undefined = ours.find((d) => d.status === 'PRIMARY') ?? ours[0];
  if (!deployment) return { state: 'not-started', events };
  const base = {
    deploymentId: deployment.id,
    rolloutState: deployment.rolloutState,
    reason: deployment.rolloutStateReason,
    running: deployment.runningCount,
    desired: deployment.desiredCount,
    events,
  };
  if (deployment.rolloutState === 'COMPLETED') return { state: 'completed', ...base };
  if (deployment.rolloutState === 'FAILED') return { state: 'failed', ...base };
  // No rolloutState (e.g. no deployment circuit breaker information): done when it runs what it should.
  if (
    deployment.rolloutState === undefined &&
    deployment.runningCount !== undefined &&
    deployment.runningCount === deployment.desiredCount
  ) {
    return { state: 'completed', ...base };
  }
  return { state: 'in-progress', ...base };
}

/** Polls DescribeServices until the rollout completes; throws RolloutError when it fails or the deadline passes. */
export async function waitForRollout(ecs: EcsPort, ref: ServiceRef, taskDefinitionArn: string, poll: PollOptions): Promise<RolloutView> {
  const what = `The rollout of ${taskDefinitionArn.split('/').pop()} on ${ref.cluster}/${ref.service}`;
  try {
    return await pollUntil(
      async () => {
        const view = rolloutView(await describeService(ecs, ref), taskDefinitionArn);
        if (view.state === 'failed')
          throw new RolloutError(`${what} failed: ${(view.reason ?? 'rolloutState FAILED').replace(/\.$/, '')}.`, view);
        return { done: view.state === 'completed', value: view };
      },
      (last) => `${what} did not complete (${progress(last)})`,
      poll,
    );
  } catch (error) {
    if (error instanceof DeadlineError) throw new RolloutError(`${error.message}.`, error.last as RolloutView);
    throw error;
  }
}

function progress(view: RolloutView): string {
  if (view.state === 'not-started') return 'ECS shows no deployment of it yet';
  const counts = view.running === undefined ? '' : `, ${view.running}/${view.desired ?? '?'} tasks running`;
  return `rolloutState ${view.rolloutState ?? 'absent'}${counts}`;
}
