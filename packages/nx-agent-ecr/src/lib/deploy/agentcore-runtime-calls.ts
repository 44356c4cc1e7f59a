// The AgentCore calls around a deploy: find a runtime by name, wait for READY with a deadline, move an endpoint.
import type { GetAgentRuntimeCommandOutput } from '@aws-sdk/client-bedrock-agentcore-control';
import type { AgentCorePort } from '../aws/clients';
import { awsErrorName } from '../aws/errors';
import { UserError } from '../errors';
import { pollUntil, type PollOptions } from './poll';

const FAILED = new Set(['CREATE_FAILED', 'UPDATE_FAILED', 'DELETING', 'DELETE_FAILED']);

/** The runtime's id by name (GetAgentRuntime takes only ids), or undefined when there is none. */
export async function findRuntimeId(agentCore: AgentCorePort, name: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await agentCore.listAgentRuntimes({ nextToken, maxResults: 100 });
    const found = page.agentRuntimes?.find((r) => r.agentRuntimeName === name);
    if (found?.agentRuntimeId) return found.agentRuntimeId;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

/** Polls GetAgentRuntime until READY; a failed status ends the wait at once with AgentCore's reason. */
export async function waitForRuntime(
  agentCore: AgentCorePort,
  id: string,
  name: string,
  poll: PollOptions,
): Promise<GetAgentRuntimeCommandOutput> {
  return pollUntil(
    async () => {
      const runtime = await agentCore.getAgentRuntime({ agentRuntimeId: id });
      if (runtime.status && FAILED.has(runtime.status)) {
        throw new UserError(
          `AgentCore runtime ${name} (version ${runtime.agentRuntimeVersion ?? '?'}) is ${runtime.status}: ` +
            `${runtime.failureReason ?? 'no reason given'}.`,
        );
      }
      return { done: runtime.status === 'READY', value: runtime };
    },
    (last) =>
      `AgentCore runtime ${name} version ${last.agentRuntimeVersion ?? '?'} did not become READY (still ${last.status ?? 'unknown'})`,
    poll,
  );
}

export interface EndpointMove {
  outcome: 'created' | 'updated' | 'unchanged';
  liveVersion?: string;
}

/** Points the named endpoint at `version` (creating it when missing) and, with `poll`, waits until it serves it. */
export async function moveEndpoint(
  agentCore: AgentCorePort,
  runtimeId: string,
  name: string,
  version: string,
  poll?: PollOptions,
): Promise<EndpointMove> {
  const ref = { agentRuntimeId: runtimeId, endpointName: name };
  const current = await agentCore.getAgentRuntimeEndpoint(ref).catch((error: unknown) => {
    if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  });
  let outcome: EndpointMove['outcome'] = 'unchanged';
  if (!current) {
    await agentCore.createAgentRuntimeEndpoint({ agentRuntimeId: runtimeId, name, agentRuntimeVersion: version });
    outcome = 'created';
  } else if (current.liveVersion !== version || current.targetVersion !== version) {
    await agentCore.updateAgentRuntimeEndpoint({ ...ref, agentRuntimeVersion: version });
    outcome = 'updated';
  }
  if (!poll) return { outcome };
  const settled = await pollUntil(
    async () => {
      const endpoint = await agentCore.getAgentRuntimeEndpoint(ref);
      if (endpoint.status && FAILED.has(endpoint.status))
        throw new UserError(`AgentCore endpoint ${name} is ${endpoint.status}: ${endpoint.failureReason ?? 'no reason given'}.`);
      return { done: endpoint.status === 'READY' && endpoint.liveVersion === version, value: endpoint };
    },
    (last) =>
      `AgentCore endpoint ${name} did not serve version ${version} ` +
      `(status ${last.status ?? 'unknown'}, live version ${last.liveVersion ?? 'none'})`,
    poll,
  );
  return { outcome, liveVersion: settled.liveVersion };
}
