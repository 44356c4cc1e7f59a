// What both deploy executors resolve the same way before any AWS call: the project, its naming (which repository
// its image was pushed to), the AWS target, the wait policy, and the commit the workspace is at.
import type { ExecutorContext } from '@nx/devkit';
import { UserError } from '../errors';
import { repositoryNameError, resolveWorkspaceNaming, type Naming } from '../ecr/naming';
import { scanGateOptions, type ScanGateOptions, type ScanGateSchema } from '../ecr/scan-gate';
import type { ProcessRunner } from '../process';
import type { PollOptions } from './poll';

export interface DeployTargetOptions extends ScanGateSchema {
  projectName?: string;
  environment?: string;
  service?: string;
  repositoryName?: string;
  region?: string;
  profile?: string;
  maxAwsAttempts?: number;
  wait?: boolean;
  timeoutSeconds?: number;
  pollSeconds?: number;
  dryRun?: boolean;
}

export interface DeployTarget {
  project: string;
  projectRoot: string;
  workspaceRoot: string;
  naming: Naming;
  region?: string;
  profile?: string;
  maxAwsAttempts: number;
  wait: boolean;
  timeoutMs: number;
  intervalMs: number;
  dryRun: boolean;
  verbose: boolean;
  /** The scan gate on the digest about to be deployed: on (CRITICAL) unless failOnSeverity is "none". */
  scanGate?: ScanGateOptions;
}

/** The project root from the Nx context, or a one-line error when the executor does not run as a project target. */
export function projectOf(executor: string, context: ExecutorContext): { project: string; projectRoot: string } {
  const project = context.projectName;
  if (!project) throw new UserError(`${executor} must run as a project target (no project name in the Nx context).`);
  const projectRoot = context.projectsConfigurations?.projects[project]?.root;
  if (projectRoot === undefined) throw new UserError(`Project "${project}" is not in the workspace's project configurations.`);
  return { project, projectRoot };
}

export function resolveDeployTarget(
  executor: string,
  options: DeployTargetOptions,
  context: ExecutorContext,
  env: NodeJS.ProcessEnv,
  defaults: { timeoutSeconds: number; pollSeconds: number },
): DeployTarget {
  const { project, projectRoot } = projectOf(executor, context);
  const naming = resolveWorkspaceNaming(options, context.root, project, env);
  const nameError = repositoryNameError(naming.repositoryName);
  if (nameError) throw new UserError(nameError);
  const timeoutSeconds = options.timeoutSeconds ?? defaults.timeoutSeconds;
  const pollSeconds = options.pollSeconds ?? defaults.pollSeconds;
  if (!(timeoutSeconds > 0) || !(pollSeconds > 0))
    throw new UserError(`timeoutSeconds (${timeoutSeconds}) and pollSeconds (${pollSeconds}) must be positive.`);
  return {
    project,
    projectRoot,
    workspaceRoot: context.root,
    naming,
    region: options.region,
    profile: options.profile,
    maxAwsAttempts: options.maxAwsAttempts ?? 6,
    wait: options.wait ?? true,
    timeoutMs: timeoutSeconds * 1000,
    intervalMs: pollSeconds * 1000,
    dryRun: options.dryRun ?? false,
    verbose: context.isVerbose,
    scanGate: scanGateOptions(options, true),
  };
}

export function pollOptions(target: DeployTarget, signal: AbortSignal, overrides: Partial<PollOptions> = {}): PollOptions {
  return { timeoutMs: target.timeoutMs, intervalMs: target.intervalMs, signal, ...overrides };
}

/** The full sha HEAD names, or undefined outside a git checkout (the push record's commit is then not checked). */
export async function workspaceHead(run: ProcessRunner, cwd: string): Promise<string | undefined> {
  const result = await run('git', ['rev-parse', 'HEAD'], { cwd }).catch(() => undefined);
  return result?.exitCode === 0 && result.stdout.trim() ? result.stdout.trim() : undefined;
}
