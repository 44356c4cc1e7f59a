// Credentials of another account's role: assumed with STS from the base credentials (a profile or the default
// chain), kept in memory only, and assumed again five minutes before they expire. Never printed, never written.
import { oneLine, UserError } from '../errors';
import { awsErrorName } from './errors';

export interface AssumeRoleInput {
  RoleArn: string;
  RoleSessionName: string;
  ExternalId?: string;
  DurationSeconds: number;
}

export interface AssumeRoleOutput {
  Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date };
}

/** STS AssumeRole, as lib/aws/clients.ts sends it. */
export type RoleAssumer = (input: AssumeRoleInput) => Promise<AssumeRoleOutput>;

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface RoleCredentials {
  /** What the SDK's `credentials` option takes: called before each request, cheap while the credentials are fresh. */
  provider: () => Promise<TemporaryCredentials>;
  /** The secret parts held right now, so error output can be redacted. */
  secrets: () => string[];
}

const REFRESH_BEFORE_MS = 5 * 60_000;
export const ROLE_SESSION_NAME = 'nx-agent-ecr-promote';

export function roleCredentials(assume: RoleAssumer, role: { roleArn: string; externalId?: string }, now = Date.now): RoleCredentials {
  let current: TemporaryCredentials | undefined;
  let pending: Promise<TemporaryCredentials> | undefined;
  const fetchNew = async (): Promise<TemporaryCredentials> => {
    let out: AssumeRoleOutput;
    try {
      out = await assume({
        RoleArn: role.roleArn,
        RoleSessionName: ROLE_SESSION_NAME,
        DurationSeconds: 3600,
        ...(role.externalId ? { ExternalId: role.externalId } : {}),
      });
    } catch (error) {
      throw assumeRoleError(role, error);
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new UserError(`STS AssumeRole of ${role.roleArn} answered no credentials.`);
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  };
  return {
    provider: async () => {
      if (current && current.expiration.getTime() - now() > REFRESH_BEFORE_MS) return current;
      // Concurrent requests share one AssumeRole call.
      pending ??= fetchNew().finally(() => (pending = undefined));
      current = await pending;
      return current;
    },
    secrets: () => (current ? [current.secretAccessKey, current.sessionToken] : []),
  };
}

/** One line naming the role and what to fix: the role's trust policy, or the caller's sts:AssumeRole permission. */
function assumeRoleError(role: { roleArn: string; externalId?: string }, error: unknown): UserError {
  const name = awsErrorName(error);
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    const external = role.externalId ? ' with this externalId (sts:ExternalId condition)' : '';
    return new UserError(
      `Could not assume ${role.roleArn} (${oneLine(error)}): its trust policy must let this run's identity sts:AssumeRole${external}, ` +
        `and this identity needs sts:AssumeRole on that ARN.`,
    );
  }
  return new UserError(`Could not assume ${role.roleArn}: ${oneLine(error)}.`);
}
