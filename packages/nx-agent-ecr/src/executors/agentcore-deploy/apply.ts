// agentcore-deploy's writes: create or update the runtime (after any update in flight settles), wait for READY,
// then move the named endpoint to the version. `facts` grows as each step lands, for deploy.json.
import { logger } from '@nx/devkit';
import type { AgentCorePort } from '../../lib/aws/clients';
import { createInput, updateInput, type RuntimeConfig } from '../../lib/deploy/agentcore-runtime';
import { moveEndpoint, waitForRuntime } from '../../lib/deploy/agentcore-runtime-calls';
import type { DeployResult } from '../../lib/deploy/deploy-task';
import type { PollOptions } from '../../lib/deploy/poll';
import type { RuntimePlan } from './plan';

const SETTLING = new Set(['CREATING', 'UPDATING']);

export interface RuntimeApply {
  runtimeName: string;
  config: RuntimeConfig;
  containerUri: string;
  endpointName?: string;
  /** The poll policy, or undefined when the deploy should not wait. */
  wait?: PollOptions;
}

export async function applyRuntimePlan(agentCore: AgentCorePort, plan: RuntimePlan, a: RuntimeApply, facts: Partial<DeployResult>) {
  const { runtimeName, containerUri, wait } = a;
  const changes: string[] = (facts.changes = []);
  let runtimeId: string | undefined;
  let version: string | undefined;
  if (plan.kind === 'create') {
    const created = await agentCore.createAgentRuntime(createInput(a.config, containerUri));
    ({ agentRuntimeId: runtimeId, agentRuntimeVersion: version } = created);
    changes.push(`CreateAgentRuntime ${runtimeName} (version ${version})`);
    logger.info(`Created AgentCore runtime ${runtimeName} (${created.agentRuntimeArn}) with ${containerUri}`);
  } else if (plan.kind === 'update') {
    let current = plan.current;
    runtimeId = current.agentRuntimeId;
    // An update while another is in flight fails: wait for it to settle, then update from what it left.
    if (wait && SETTLING.has(current.status ?? '')) current = await waitForRuntime(agentCore, runtimeId as string, runtimeName, wait);
    const updated = await agentCore.updateAgentRuntime(updateInput(current, a.config, containerUri));
    version = updated.agentRuntimeVersion;
    changes.push(`UpdateAgentRuntime ${runtimeName} (version ${version})`);
    logger.info(`Updated AgentCore runtime ${runtimeName} to version ${version} with ${containerUri}`);
  } else {
    ({ agentRuntimeId: runtimeId, agentRuntimeVersion: version } = plan.current);
    logger.info(
      `AgentCore runtime ${runtimeName} version ${version} already runs ${containerUri} with this configuration; no new version.`,
    );
  }
  facts.agentCore = { runtimeName, runtimeId, version };
  if (wait) {
    const ready = await waitForRuntime(agentCore, runtimeId as string, runtimeName, wait);
    facts.agentCore = { ...facts.agentCore, runtimeArn: ready.agentRuntimeArn, status: ready.status };
    logger.info(`AgentCore runtime ${runtimeName} version ${ready.agentRuntimeVersion} is READY.`);
  }
  if (a.endpointName) {
    const moved = await moveEndpoint(agentCore, runtimeId as string, a.endpointName, version as string, wait);
    if (moved.outcome !== 'unchanged') {
      const call = moved.outcome === 'created' ? 'CreateAgentRuntimeEndpoint' : 'UpdateAgentRuntimeEndpoint';
      changes.push(`${call} ${a.endpointName} → version ${version}`);
    }
    facts.agentCore = { ...facts.agentCore, endpoint: a.endpointName, endpointVersion: moved.liveVersion ?? version };
    const how = moved.outcome === 'unchanged' ? 'already serves' : `${moved.outcome}, serving`;
    logger.info(`Endpoint ${a.endpointName}: ${how} version ${version}.`);
  }
}
