// Where a promotion copies from: another environment's repository of this account and region, or — from the
// object form of promoteFrom — a repository of another account or region, reached with its own AWS target (region,
// profile, role to assume, endpoint) and registry id. Pure: options in, one-line errors out.
import type { AwsTarget } from '../aws/clients';
import { UserError } from '../errors';
import { promoteFromRepositoryName, repositoryNameFor, type Naming } from './naming';

export interface PromoteFromSpec {
  environment?: string;
  repository?: string;
  registry?: string;
  account?: string;
  region?: string;
  roleArn?: string;
  externalId?: string;
  profile?: string;
  endpoint?: string;
}

/** Another account's or region's registry: its own clients, login and registry id. */
export interface RemoteSource {
  target: AwsTarget;
  /** The account that owns the repository, for ECR's registryId (undefined: the credentials' own account). */
  registryId?: string;
  /** "account 111111111111, region eu-west-1, role …" for plans and messages. */
  label: string;
}

export interface PromoteSource {
  repositoryName: string;
  remote?: RemoteSource;
}

const ECR_REGISTRY = /^(\d{12})\.dkr[.-]ecr(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|on\.aws)$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export function resolvePromoteSource(
  naming: Naming,
  options: { promoteFrom?: string | PromoteFromSpec; promoteFromRepository?: string; repositoryName?: string },
  push: AwsTarget,
): PromoteSource | undefined {
  const spec = options.promoteFrom;
  if (typeof spec !== 'object') {
    const name = promoteFromRepositoryName(naming, { ...options, promoteFrom: spec });
    return name ? { repositoryName: name } : undefined;
  }
  const remote = remoteOf(spec, push);
  const repositoryName =
    options.promoteFromRepository || spec.repository || repositoryNameFor(naming.projectName, spec.environment ?? 'dev', naming.service);
  if (!remote && repositoryName === naming.repositoryName) return undefined;
  return { repositoryName, ...(remote ? { remote } : {}) };
}

function remoteOf(spec: PromoteFromSpec, push: AwsTarget): RemoteSource | undefined {
  const parsed = spec.registry === undefined ? undefined : parseRegistry(spec.registry);
  if (parsed && spec.account && spec.account !== parsed.account) {
    throw new UserError(
      `promoteFrom: account ${spec.account} is not the account of registry ${spec.registry} (${parsed.account}); give one of them.`,
    );
  }
  if (parsed && spec.region && spec.region !== parsed.region) {
    throw new UserError(
      `promoteFrom: region ${spec.region} is not the region of registry ${spec.registry} (${parsed.region}); give one of them.`,
    );
  }
  if (spec.roleArn !== undefined && !ROLE_ARN.test(spec.roleArn)) {
    throw new UserError(`promoteFrom.roleArn "${spec.roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`);
  }
  if (spec.externalId !== undefined && !spec.roleArn)
    throw new UserError('promoteFrom.externalId needs promoteFrom.roleArn: it is part of assuming that role.');
  if (spec.endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(spec.endpoint)) {
    throw new UserError(`promoteFrom.endpoint "${spec.endpoint}" is not an http(s) URL.`);
  }
  const account = spec.account ?? parsed?.account;
  const region = spec.region ?? parsed?.region;
  if (!account && !region && !spec.roleArn && !spec.profile && !spec.endpoint) return undefined;
  const target: AwsTarget = {
    region: region ?? push.region,
    profile: spec.profile ?? push.profile,
    maxAttempts: push.maxAttempts,
    ...(spec.roleArn ? { roleArn: spec.roleArn } : {}),
    ...(spec.externalId ? { externalId: spec.externalId } : {}),
    ...(spec.endpoint ? { endpoint: spec.endpoint } : {}),
  };
  const label = [
    account ? `account ${account}` : undefined,
    region ? `region ${region}` : undefined,
    spec.roleArn ? `role ${spec.roleArn}` : undefined,
    spec.profile ? `profile ${spec.profile}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return { target, ...(account ? { registryId: account } : {}), label: label || `endpoint ${spec.endpoint}` };
}

function parseRegistry(registry: string): { account: string; region: string } {
  const match = ECR_REGISTRY.exec(registry.replace(/^https?:\/\//, '').replace(/\/+$/, ''));
  if (!match) {
    throw new UserError(
      `promoteFrom.registry "${registry}" is not an ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com): ` +
        `give it, or account and region.`,
    );
  }
  return { account: match[1] as string, region: match[2] as string };
}
