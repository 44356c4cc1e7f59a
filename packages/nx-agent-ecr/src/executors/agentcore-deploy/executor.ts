// Executor nx-agent-ecr:agentcore-deploy: this run's pushed digest → CreateAgentRuntime, or UpdateAgentRuntime with
// the complete configuration (nothing when the runtime already runs it) → wait for READY → endpoint → deploy.json.
import { logger, type ExecutorContext } from '@nx/devkit';
import { checkCredentials, describeCredentialSource } from '../../lib/aws/credentials';
import type { RuntimeConfig } from '../../lib/deploy/agentcore-runtime';
import { findRuntimeId } from '../../lib/deploy/agentcore-runtime-calls';
import { runDeployTask, type DeployTaskDeps } from '../../lib/deploy/deploy-task';
import { pollOptions, workspaceHead } from '../../lib/deploy/deploy-target';
import { renderPlaceholders } from '../../lib/deploy/placeholders';
import { readPushedImage } from '../../lib/deploy/pushed-image';
import { runProcess, withSignal, type ProcessRunner } from '../../lib/process';
import { applyRuntimePlan } from './apply';
import { normalizeOptions } from './normalize-options';
import { formatRuntimePlan, planRuntime } from './plan';
import type { AgentcoreDeployExecutorSchema } from './schema';

export interface AgentCoreDeployDeps extends DeployTaskDeps {
  run: ProcessRunner;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export const defaultDeps = (): AgentCoreDeployDeps => ({ run: runProcess, env: process.env });

export async function agentcoreDeployExecutor(
  options: AgentcoreDeployExecutorSchema,
  context: ExecutorContext,
  deps: AgentCoreDeployDeps = defaultDeps(),
): Promise<{ success: boolean }> {
  return runDeployTask('agentcore-deploy', context, deps, async ({ signal, scope, facts }) => {
    const { target, config: file, runtimeName, endpointName } = normalizeOptions(options, context, deps.env);
    const { naming } = target;
    facts.environment = naming.environment;
    const head = await workspaceHead(withSignal(deps.run, signal), target.workspaceRoot);
    const image = await readPushedImage({ ...target, ...naming, head });
    Object.assign(facts, { image: image.imageRef, digest: image.digest });

    const ports = scope.aws({ region: target.region, profile: target.profile, maxAttempts: target.maxAwsAttempts }, signal);
    const identity = await checkCredentials(ports.sts, describeCredentialSource(target.profile, deps.env));
    const values = {
      accountId: identity.account,
      region: await ports.region(),
      projectName: naming.projectName,
      environment: naming.environment,
      service: naming.service,
      image: image.imageRef,
    };
    const config = { ...renderPlaceholders(file.json, values, deps.env), agentRuntimeName: runtimeName } as RuntimeConfig;
    facts.agentCore = { runtimeName };
    const id = await findRuntimeId(ports.agentCore, runtimeName);
    const current = id ? await ports.agentCore.getAgentRuntime({ agentRuntimeId: id }) : undefined;
    const plan = planRuntime(current, config, image.imageRef, runtimeName);
    const result = { environment: naming.environment, image: image.imageRef, digest: image.digest };

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
