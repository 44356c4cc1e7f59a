// agentcore-deploy's plan, purely: from the runtime AgentCore has now (if any), whether to create it, update it
// (a new immutable version) or leave it, refused when an update would pass AgentCore's version cap.
import type { GetAgentRuntimeCommandOutput } from '@aws-sdk/client-bedrock-agentcore-control';
import { runtimeUpToDate, VERSION_CAP, type RuntimeConfig } from '../../lib/deploy/agentcore-runtime';
import { UserError } from '../../lib/errors';

export type RuntimePlan =
  | { kind: 'create' }
  | { kind: 'update'; current: GetAgentRuntimeCommandOutput }
  | { kind: 'unchanged'; current: GetAgentRuntimeCommandOutput };

export function planRuntime(
  current: GetAgentRuntimeCommandOutput | undefined,
  config: RuntimeConfig,
  containerUri: string,
  runtimeName: string,
): RuntimePlan {
  if (!current) return { kind: 'create' };
  if (runtimeUpToDate(current, config, containerUri)) return { kind: 'unchanged', current };
  if (Number(current.agentRuntimeVersion) >= VERSION_CAP) {
    throw new UserError(
      `AgentCore runtime ${runtimeName} has ${current.agentRuntimeVersion} versions, AgentCore's cap of ${VERSION_CAP}: ` +
        'an update would fail; delete and recreate the runtime, or deploy under another runtimeName.',
    );
  }
  return { kind: 'update', current };
}

export function formatRuntimePlan(plan: RuntimePlan, runtimeName: string, containerUri: string): string[] {
  const what =
    plan.kind === 'create'
      ? 'would create it'
      : plan.kind === 'unchanged'
        ? `unchanged: version ${plan.current.agentRuntimeVersion} already runs it`
        : `would update it (version ${plan.current.agentRuntimeVersion} → a new version)`;
  return [`image ${containerUri}`, `runtime ${runtimeName}: ${what}`];
}
