// Executor nx-agent-ecr:agentcore-deploy: this run's pushed digest → CreateAgentRuntime, or UpdateAgentRuntime with
// the complete configuration (nothing when the runtime already runs it) → wait for READY → endpoint → deploy.json.
import { logger, type ExecutorContext } from '@nx/devkit';
import type { RuntimeConfig } from '../../lib/deploy/agentcore-runtime';
import { findRuntimeId } from '../../lib/deploy/agentcore-runtime-calls';
import { awsForDeploy, defaultDeployDeps, thisRunsImage, type DeployDeps } from '../../lib/deploy/deploy-steps';
import { runDeployTask } from '../../lib/deploy/deploy-task';
import { pollOptions } from '../../lib/deploy/deploy-target';
import { renderPlaceholders } from '../../lib/deploy/placeholders';
import { applyRuntimePlan } from './apply';
import { normalizeOptions } from './normalize-options';
import { formatRuntimePlan, planRuntime } from './plan';
import type { AgentcoreDeployExecutorSchema } from './schema';

export type AgentCoreDeployDeps = DeployDeps;
export const defaultDeps = defaultDeployDeps;

export async function agentcoreDeployExecutor(
  options: AgentcoreDeployExecutorSchema,
  context: ExecutorContext,
  deps: AgentCoreDeployDeps = defaultDeps(),
): Promise<{ success: boolean }> {
  return runDeployTask('agentcore-deploy', context, deps, async (progress) => {
    const { target, config: file, runtimeName, endpointName } = normalizeOptions(options, context, deps.env);
    const { facts, signal } = progress;
    facts.environment = target.naming.environment;
    const { image } = await thisRunsImage(target, deps, progress);

    const { ports, values } = await awsForDeploy(target, image, deps, progress);
    const config = { ...renderPlaceholders(file.json, values, deps.env), agentRuntimeName: runtimeName } as RuntimeConfig;
    facts.agentCore = { runtimeName };
    const id = await findRuntimeId(ports.agentCore, runtimeName);
    const current = id ? await ports.agentCore.getAgentRuntime({ agentRuntimeId: id }) : undefined;
    const plan = planRuntime(current, config, image.imageRef, runtimeName);
    const result = { environment: target.naming.environment, image: image.imageRef, digest: image.digest };

    if (target.dryRun) {
      const intro = 'Dry run (read-only calls only: STS, ListAgentRuntimes, GetAgentRuntime); nothing created or updated.';
      logger.info([intro, ...formatRuntimePlan(plan, runtimeName, image.imageRef)].join('\n  '));
      return { ...result, outcome: 'dry-run', changes: [], agentCore: facts.agentCore };
    }
    const wait = target.wait ? pollOptions(target, signal, { sleep: deps.sleep, now: deps.now }) : undefined;
    await applyRuntimePlan(ports.agentCore, plan, { runtimeName, config, containerUri: image.imageRef, endpointName, wait }, facts);
    const changes = facts.changes ?? [];
    return { ...result, outcome: changes.length > 0 ? 'deployed' : 'unchanged', changes, agentCore: facts.agentCore };
  });
}

export default agentcoreDeployExecutor;
