// Two accounts on one machine: STS AssumeRole hands out credentials whose access key id is derived from the role's
// ARN (the same on every local-ecr instance), and an instance can be told to accept only the keys of some roles —
// what another account's role trust and repository policy amount to. SigV4 signatures are still not checked.
import { createHash, randomBytes } from 'node:crypto';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export class AccessSettingError extends Error {}

export interface IssuedCredentials {
  roleArn: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: number;
  assumedRoleArn: string;
}

/** ASIA + 16 characters from the role's ARN: any instance can tell which role a key belongs to. */
export function roleKeyId(roleArn: string): string {
  return `ASIA${createHash('sha256').update(roleArn).digest('hex').slice(0, 16).toUpperCase()}`;
}

/** The role's account and name, or undefined when the ARN is not an IAM role's. */
export function parseRoleArn(roleArn: string): { account: string; name: string } | undefined {
  const match = ROLE_ARN.exec(roleArn);
  return match ? { account: match[1] as string, name: match[2] as string } : undefined;
}

/** The access key id a SigV4 request was signed with (`Credential=<key>/<date>/<region>/<service>/aws4_request`). */
export function signingKeyId(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1];
}

/** Issued credentials (for GetCallerIdentity and the tests' leak checks) and the roles this account accepts. */
export class AccessBook {
  private readonly issued: IssuedCredentials[] = [];
  private allowed: string[] = [];

  issue(roleArn: string, sessionName: string, durationSeconds: number, now: number): IssuedCredentials {
    const role = parseRoleArn(roleArn);
    if (!role) throw new AccessSettingError(`RoleArn '${roleArn}' is not a role ARN (arn:aws:iam::<12 digits>:role/<name>).`);
    if (!SESSION_NAME.test(sessionName)) throw new AccessSettingError(`RoleSessionName '${sessionName}' must be 2-64 of [\\w+=,.@-].`);
    const credentials: IssuedCredentials = {
      roleArn,
      accessKeyId: roleKeyId(roleArn),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiration: now + durationSeconds * 1000,
      assumedRoleArn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`,
    };
    // The last 100 are enough to answer GetCallerIdentity and to look for leaks; older ones are forgotten.
    this.issued.push(credentials);
    if (this.issued.length > 100) this.issued.shift();
    return credentials;
  }

  issuedList(): IssuedCredentials[] {
    return [...this.issued];
  }

  /** The assumed role behind a key this instance issued. */
  assumedRoleOf(accessKeyId: string | undefined): IssuedCredentials | undefined {
    return [...this.issued].reverse().find((c) => c.accessKeyId === accessKeyId);
  }

  /** Only these roles' keys may call the ECR API from now on; [] lets every caller in again (the default). */
  allowRoles(roles: unknown): string[] {
    if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string' || !parseRoleArn(r))) {
      throw new AccessSettingError('an access setting is {"allowRoles": ["arn:aws:iam::<12 digits>:role/<name>", …]}.');
    }
    this.allowed = [...(roles as string[])];
    return this.allowed;
  }

  allowedRoles(): string[] {
    return [...this.allowed];
  }

  /** Whether a request signed with `accessKeyId` may call the ECR API of this account. */
  admits(accessKeyId: string | undefined): boolean {
    return this.allowed.length === 0 || this.allowed.some((role) => roleKeyId(role) === accessKeyId);
  }
}
