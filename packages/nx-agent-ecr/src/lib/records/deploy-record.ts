// The deploy record: what ecs-deploy or agentcore-deploy did, or why it failed. Written on success and on failure,
// atomically, so a reader never sees half a file and a failed deploy never leaves the previous success in place.
import { writeJsonAtomic } from './json-file';
import { recordPath } from './names';

export type DeployOutcome = 'deployed' | 'unchanged' | 'dry-run' | 'failed';

export interface DeployRecord {
  project: string;
  executor: 'ecs-deploy' | 'agentcore-deploy';
  environment: string;
  outcome: DeployOutcome;
  /** `<repositoryUri>@sha256:…` (absent when the deploy failed before the push record was read). */
  image?: string;
  digest?: string;
  /** What changed in AWS, in order, e.g. ["RegisterTaskDefinition shop-agent:4", "UpdateService shop/agent"]. */
  changes: string[];
  ecs?: { taskDefinitionArn?: string; revision?: number; cluster?: string; service?: string; deploymentId?: string; rolloutState?: string };
  agentCore?: {
    runtimeName: string;
    runtimeId?: string;
    runtimeArn?: string;
    version?: string;
    status?: string;
    endpoint?: string;
    endpointVersion?: string;
  };
  /** What the scan gate saw of the digest before it was deployed. */
  scan?: { status: string; counts: Record<string, number>; threshold: string };
  /** The one line shown to the user, and the last service events for ECS. */
  error?: string;
  events?: string[];
  seconds: number;
  recordedAt: string;
}

/** `{workspaceRoot}/dist/images/{projectRoot}/deploy.json`, beside build.json and ecr-push.json. */
export function deployRecordPath(workspaceRoot: string, projectRoot: string): string {
  return recordPath(workspaceRoot, projectRoot, 'deploy');
}

export function writeDeployRecord(workspaceRoot: string, projectRoot: string, record: DeployRecord): Promise<string> {
  return writeJsonAtomic(deployRecordPath(workspaceRoot, projectRoot), record);
}
