// Options → NormalizedOptions: every default resolved and every value checked, with one-line errors, before any work.
import type { ExecutorContext } from '@nx/devkit';
import { UserError } from '../../lib/errors';
import type { AwsTarget } from '../../lib/aws/clients';
import { repositoryNameError, resolveWorkspaceNaming, tagError, type Naming } from '../../lib/ecr/naming';
import { resolvePromoteSource, type RemoteSource } from '../../lib/ecr/promote-source';
import { MUTABILITIES, mutabilityProblem, type MutabilitySettings } from '../../lib/ecr/mutability';
import type { RepositorySettings } from '../../lib/ecr/repository';
import { scanGateOptions, type ScanGateOptions } from '../../lib/ecr/scan-gate';
import type { EcrPushExecutorSchema } from './schema';

export interface NormalizedOptions {
  project: string;
  projectRoot: string;
  workspaceRoot: string;
  naming: Naming;
  /** The push's own AWS target: region, profile, retry budget, call deadline. */
  target: AwsTarget;
  promoteFromRepository?: string;
  /** Set when the promotion source is another account or region: its target and registry id. */
  promoteSource?: RemoteSource;
  repository: RepositorySettings;
  /** Set when the scan gate runs: a promotion (failOnSeverity default CRITICAL) or an explicit failOnSeverity. */
  scanGate?: ScanGateOptions;
  /** Tag option before {gitSha}/{environment} are filled in (undefined = default). */
  tags?: string[];
  region?: string;
  profile?: string;
  pushAttempts: number;
  maxAwsAttempts: number;
  verifyTimeoutMs: number;
  /** The pause before `latest` is looked at once more after this run moved it; 0 = no second look. */
  latestSettleMs: number;
  awsTimeoutMs: number;
  pushTimeoutMs: number;
  commandTimeoutMs: number;
  /** false = push only what a docker-build of these sources made. */
  build: boolean;
  dryRun: boolean;
  verbose: boolean;
}

/** Lifecycle rules from the options: "keep the last N images" and "expire untagged after N days". */
export function lifecyclePolicyText(policy: EcrPushExecutorSchema['lifecyclePolicy']): string | undefined {
  if (!policy) return undefined;
  if (policy.policyText) {
    try {
      JSON.parse(policy.policyText);
    } catch {
      throw new UserError(
        'lifecyclePolicy.policyText is not valid JSON: pass a lifecycle policy document, or use maxImageCount / untaggedExpireDays.',
      );
    }
    return policy.policyText;
  }
  const rules: object[] = [];
  if (policy.untaggedExpireDays) {
    rules.push({
      rulePriority: rules.length + 1,
      description: `Expire untagged images after ${policy.untaggedExpireDays} days`,
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: policy.untaggedExpireDays },
      action: { type: 'expire' },
    });
  }
  if (policy.maxImageCount) {
    rules.push({
      rulePriority: rules.length + 1,
      description: `Keep the last ${policy.maxImageCount} images`,
      selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: policy.maxImageCount },
      action: { type: 'expire' },
    });
  }
  return rules.length ? JSON.stringify({ rules }) : undefined;
}

export function normalizeOptions(
  options: EcrPushExecutorSchema,
  context: ExecutorContext,
  env: NodeJS.ProcessEnv = process.env,
): NormalizedOptions {
  const project = context.projectName;
  if (!project) throw new UserError('ecr-push must run as a project target (no project name in the Nx context).');
  const projectRoot = context.projectsConfigurations?.projects[project]?.root;
  if (projectRoot === undefined) throw new UserError(`Project "${project}" is not in the workspace's project configurations.`);
  const naming = resolveWorkspaceNaming(options, context.root, project, env);
  const nameError = repositoryNameError(naming.repositoryName);
  if (nameError) throw new UserError(nameError);
  const target: AwsTarget = {
    region: options.region,
    profile: options.profile,
    maxAttempts: options.maxAwsAttempts ?? 6,
    timeoutMs: (options.awsTimeoutSeconds ?? 60) * 1000,
  };
  const source = resolvePromoteSource(naming, options, target);
  const promoteFromRepository = source?.repositoryName;
  if (promoteFromRepository && repositoryNameError(promoteFromRepository)) {
    throw new UserError(`promoteFrom: ${repositoryNameError(promoteFromRepository)}`);
  }
  for (const tag of options.tags ?? []) {
    const error = tagError(tag.replaceAll('{gitSha}', '0000000').replaceAll('{environment}', naming.environment));
    if (error) throw new UserError(`tags: ${error}`);
  }
  const mutability = checkedMutability(options);
  if (options.kmsKey && options.encryption !== 'KMS') {
    throw new UserError(`kmsKey "${options.kmsKey}" needs encryption "KMS" (it is ${options.encryption ?? 'AES256'}).`);
  }
  return {
    project,
    projectRoot,
    workspaceRoot: context.root,
    naming,
    target,
    promoteFromRepository,
    ...(source?.remote ? { promoteSource: source.remote } : {}),
    repository: {
      repositoryName: naming.repositoryName,
      scanOnPush: options.scanOnPush ?? true,
      encryption: options.encryption ?? 'AES256',
      kmsKey: options.kmsKey,
      mutability,
      tags: definedEntries(options.repositoryTags ?? {}),
      lifecyclePolicyText: lifecyclePolicyText(options.lifecyclePolicy),
    },
    // The gate guards promotions by default, any push when failOnSeverity is set, nothing with "none".
    scanGate: scanGateOptions(options, promoteFromRepository !== undefined),
    tags: options.tags,
    region: options.region,
    profile: options.profile,
    pushAttempts: options.pushAttempts ?? 3,
    maxAwsAttempts: options.maxAwsAttempts ?? 6,
    verifyTimeoutMs: (options.verifyTimeoutSeconds ?? 60) * 1000,
    latestSettleMs: (options.latestSettleSeconds ?? 1) * 1000,
    awsTimeoutMs: (options.awsTimeoutSeconds ?? 60) * 1000,
    pushTimeoutMs: (options.pushTimeoutMinutes ?? 30) * 60_000,
    commandTimeoutMs: (options.commandTimeoutSeconds ?? 120) * 1000,
    build: options.build ?? true,
    dryRun: options.dryRun ?? false,
    verbose: context.isVerbose,
  };
}

function checkedMutability(options: EcrPushExecutorSchema): MutabilitySettings {
  const mutability = options.imageTagMutability ?? 'MUTABLE';
  if (!(MUTABILITIES as readonly string[]).includes(mutability)) {
    throw new UserError(`imageTagMutability "${String(mutability)}" is not one of ${MUTABILITIES.join(', ')}: pick one of those.`);
  }
  const settings = { mutability, exclusionFilters: options.imageTagMutabilityExclusionFilters ?? [] };
  const problem = mutabilityProblem(settings);
  if (problem) throw new UserError(problem);
  return settings;
}

function definedEntries(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
