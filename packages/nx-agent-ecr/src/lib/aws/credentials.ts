// Credentials first: STS GetCallerIdentity before any build or push, with a one-line error naming the source.
import type { StsPort } from './clients';
import { oneLine, UserError } from '../errors';
import { AwsEndpointError } from './deadline';

export interface CallerIdentity {
  account: string;
  arn: string;
}

export interface CredentialSource {
  /** e.g. "environment variables (AWS_ACCESS_KEY_ID)". */
  description: string;
  /** The usual fix when this source fails. */
  fix: string;
}

/**
 * Which link of the SDK's default chain supplies credentials, decided from the same inputs the chain reads and in
 * its order: a profile (option or AWS_PROFILE) skips the environment keys; then keys, web identity, container, IMDS.
 */
export function describeCredentialSource(profile: string | undefined, env: NodeJS.ProcessEnv): CredentialSource {
  const named = profile || env['AWS_PROFILE'];
  if (!named && env['AWS_ACCESS_KEY_ID']) {
    const session = env['AWS_SESSION_TOKEN'] ? ' with AWS_SESSION_TOKEN' : '';
    return {
      description: `environment variables (AWS_ACCESS_KEY_ID${session})`,
      fix: 'export fresh AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, or unset them to use a profile',
    };
  }
  if (named) {
    return {
      description: `profile "${named}" (shared config/credentials files or SSO)`,
      fix: `run \`aws sso login --profile ${named}\` (SSO) or check its keys in ~/.aws/credentials`,
    };
  }
  if (env['AWS_WEB_IDENTITY_TOKEN_FILE']) {
    return {
      description: `web identity (AWS_WEB_IDENTITY_TOKEN_FILE, role ${env['AWS_ROLE_ARN'] ?? 'unset'})`,
      fix: "check the CI OIDC role's trust policy and that the job requests an id-token",
    };
  }
  if (env['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] || env['AWS_CONTAINER_CREDENTIALS_FULL_URI']) {
    return { description: 'the container role (ECS/EKS task credentials)', fix: "check the task role's attachment" };
  }
  return {
    description: 'the default profile or an instance role (no AWS_PROFILE or AWS_ACCESS_KEY_ID set)',
    fix: 'run `aws sso login --profile <name>` and pass --profile, export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or use the CI OIDC role',
  };
}

/** Calls GetCallerIdentity; on any failure throws one line with the source that was tried and the usual fix. */
export async function checkCredentials(sts: StsPort, source: CredentialSource): Promise<CallerIdentity> {
  try {
    const identity = await sts.getCallerIdentity();
    return { account: identity.Account ?? 'unknown', arn: identity.Arn ?? 'unknown' };
  } catch (error) {
    // An endpoint that does not answer says nothing about the credentials: its own line names the endpoint.
    if (error instanceof AwsEndpointError) throw error;
    if (/region is missing/i.test(oneLine(error))) {
      throw new UserError('No AWS region: pass --region, set AWS_REGION, or set `region` in the profile of ~/.aws/config.');
    }
    throw new UserError(`AWS credentials from ${source.description} were rejected (${oneLine(error)}). Fix: ${source.fix}.`);
  }
}
