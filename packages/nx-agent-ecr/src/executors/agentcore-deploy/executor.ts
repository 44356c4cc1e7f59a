// Executor nx-agent-ecr:agentcore-deploy: this run's pushed digest → CreateAgentRuntime, or UpdateAgentRuntime with
// the complete configuration (nothing when the runtime already runs it) → wait for READY → endpoint → deploy.json.
import type { GetAgentRuntimeCommandOutput } from '@aws-sdk/client-bedrock-agentcore-control';
import { logger, type ExecutorContext } from '@nx/devkit';
import { createAgentCoreDeployPorts, type AgentCoreDeployPorts, type AwsTarget } from '../../lib/aws';
import { checkCredentials, describeCredentialSource } from '../../lib/credentials';
import { createInput, runtimeUpToDate, updateInput, VERSION_CAP, type RuntimeConfig } from '../../lib/deploy/agentcore-runtime';
import { findRuntimeId, moveEndpoint, waitForRuntime } from '../../lib/deploy/agentcore-runtime-calls';
import { runDeployTask, type DeployResult } from '../../lib/deploy/deploy-task';
import { pollOptions, workspaceHead } from '../../lib/deploy/deploy-target';
import { renderPlaceholders } from '../../lib/deploy/placeholders';
import { readPushedImage } from '../../lib/deploy/pushed-image';
import { UserError } from '../../lib/errors';
import { runProcess, type ProcessRunner } from '../../lib/process';
import { normalizeOptions } from './normalize-options';
import type { AgentcoreDeployExecutorSchema } from './schema';

export interface AgentCoreDeployDeps {
  run: ProcessRunner;
  aws: (target: AwsTarget) => AgentCoreDeployPorts;
  env: NodeJS.ProcessEnv;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export const defaultDeps = (): AgentCoreDeployDeps => ({ run: runProcess, aws: createAgentCoreDeployPorts, env: process.env });

const SETTLING = new Set(['CREATING', 'UPDATING']);

export async function agentcoreDeployExecutor(
  options: AgentcoreDeployExecutorSchema,
  context: ExecutorContext,
  deps: AgentCoreDeployDeps = defaultDeps(),
): Promise<{ success: boolean }> {
  return runDeployTask('agentcore-deploy', context, deps.env, async ({ signal, facts }): Promise<DeployResult> => {
    const { target, config: file, runtimeName, endpointName } = normalizeOptions(options, context, deps.env);
    const { naming } = target;
    facts.environment = naming.environment;
    const image = await readPushedImage({ ...target, ...naming, head: await workspaceHead(deps.run, target.workspaceRoot) });
    Object.assign(facts, { image: image.imageRef, digest: image.digest });

    const ports = deps.aws({ region: target.region, profile: target.profile, maxAttempts: target.maxAwsAttempts });
    const identity = await checkCredentials(ports.sts, describeCredentialSource(target.profile, deps.env));
    const values = { accountId: identity.account, region: await ports.region(), projectName: naming.projectName, environment: naming.environment, service: naming.service, image: image.imageRef };
    const config = { ...renderPlaceholders(file.json, values, deps.env), agentRuntimeName: runtimeName } as RuntimeConfig;
    const poll = pollOptions(target, signal, { sleep: deps.sleep, now: deps.now });
    const agentCore = ports.agentCore;
    facts.agentCore = { runtimeName };

    const id = await findRuntimeId(agentCore, runtimeName, signal);
    let current: GetAgentRuntimeCommandOutput | undefined = id ? await agentCore.getAgentRuntime({ agentRuntimeId: id }, signal) : undefined;
    const unchanged = current !== undefined && runtimeUpToDate(current, config, image.imageRef);
    if (current && !unchanged && Number(current.agentRuntimeVersion) >= VERSION_CAP) {
      throw new UserError(`AgentCore runtime ${runtimeName} has ${current.agentRuntimeVersion} versions, AgentCore's cap of ${VERSION_CAP}: an update would fail; delete and recreate the runtime, or deploy under another runtimeName.`);
    }

    if (target.dryRun) {
      const plan = !current ? 'would create it' : unchanged ? `unchanged: version ${current.agentRuntimeVersion} already runs it` : `would update it (version ${current.agentRuntimeVersion} → a new version)`;
      logger.info([`Dry run (read-only calls only: STS, ListAgentRuntimes, GetAgentRuntime); nothing created or updated.`, `image ${image.imageRef}`, `runtime ${runtimeName}: ${plan}`].join('\n  '));
      return { environment: naming.environment, outcome: 'dry-run', image: image.imageRef, digest: image.digest, changes: [], agentCore: facts.agentCore };
    }

    const changes: string[] = (facts.changes = []);
    let runtimeId = id;
    let version = current?.agentRuntimeVersion;
    if (!current) {
      const created = await agentCore.createAgentRuntime(createInput(config, image.imageRef), signal);
      ({ agentRuntimeId: runtimeId, agentRuntimeVersion: version } = created);
      changes.push(`CreateAgentRuntime ${runtimeName} (version ${version})`);
      logger.info(`Created AgentCore runtime ${runtimeName} (${created.agentRuntimeArn}) with ${image.imageRef}`);
    } else if (!unchanged) {
      if (target.wait && SETTLING.has(current.status ?? '')) current = await waitForRuntime(agentCore, current.agentRuntimeId as string, runtimeName, poll);
      const updated = await agentCore.updateAgentRuntime(updateInput(current, config, image.imageRef), signal);
      version = updated.agentRuntimeVersion;
      changes.push(`UpdateAgentRuntime ${runtimeName} (version ${version})`);
      logger.info(`Updated AgentCore runtime ${runtimeName} to version ${version} with ${image.imageRef}`);
    } else {
      logger.info(`AgentCore runtime ${runtimeName} version ${version} already runs ${image.imageRef} with this configuration; no new version.`);
    }
    facts.agentCore = { ...facts.agentCore, runtimeId, version };
    if (target.wait) {
      const ready = await waitForRuntime(agentCore, runtimeId as string, runtimeName, poll);
      facts.agentCore = { ...facts.agentCore, runtimeArn: ready.agentRuntimeArn, status: ready.status };
      logger.info(`AgentCore runtime ${runtimeName} version ${ready.agentRuntimeVersion} is READY.`);
    }
    if (endpointName) {
      const moved = await moveEndpoint(agentCore, runtimeId as string, endpointName, version as string, target.wait ? poll : undefined);
      if (moved.outcome !== 'unchanged') changes.push(`${moved.outcome === 'created' ? 'CreateAgentRuntimeEndpoint' : 'UpdateAgentRuntimeEndpoint'} ${endpointName} → version ${version}`);
      facts.agentCore = { ...facts.agentCore, endpoint: endpointName, endpointVersion: moved.liveVersion ?? version };
      logger.info(`Endpoint ${endpointName}: ${moved.outcome === 'unchanged' ? 'already serves' : `${moved.outcome}, serving`} version ${version}.`);
    }
    return { environment: naming.environment, outcome: changes.length > 0 ? 'deployed' : 'unchanged', image: image.imageRef, digest: image.digest, changes, agentCore: facts.agentCore };
  });
}

export default agentcoreDeployExecutor;
