// STS over the AWS query protocol (form-encoded request, XML answer): GetCallerIdentity for any credentials, and
// AssumeRole, whose keys another local-ecr instance (another "account") can be told to accept (access.ts).
import { randomUUID } from 'node:crypto';
import { AccessSettingError, type AccessBook } from './access';

export interface StsAnswer {
  status: number;
  body: string;
  requestId: string;
}

export interface StsCaller {
  accountId: string;
  access: AccessBook;
  /** The access key id the request was signed with. */
  accessKeyId?: string;
  now: number;
}

/** Whether a form body is an STS query call (`Action=...&Version=2011-06-15`). */
export const isStsCall = (form: URLSearchParams) => form.has('Action') && form.get('Version') === '2011-06-15';

/** Escapes text for an XML element (an Action name comes from the client). */
export const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

const xml = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${inner}\n`;
const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

function error(requestId: string, status: number, code: string, message: string): StsAnswer {
  return {
    requestId,
    status,
    body: xml(
      `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code>` +
        `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    ),
  };
}

function callerIdentity(requestId: string, caller: StsCaller): StsAnswer {
  const assumed = caller.access.assumedRoleOf(caller.accessKeyId);
  const account = assumed ? (assumed.roleArn.split(':')[4] ?? caller.accountId) : caller.accountId;
  const arn = assumed?.assumedRoleArn ?? `arn:aws:iam::${account}:user/local-ecr`;
  return {
    requestId,
    status: 200,
    body: xml(
      `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult>` +
        `<Arn>${escapeXml(arn)}</Arn><UserId>AIDALOCALECR000000000</UserId><Account>${account}</Account>` +
        `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    ),
  };
}

function assumeRole(requestId: string, form: URLSearchParams, caller: StsCaller): StsAnswer {
  const duration = Number(form.get('DurationSeconds') ?? 3600);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    return error(requestId, 400, 'ValidationError', `DurationSeconds must be 900-43200, got ${form.get('DurationSeconds')}.`);
  }
  let issued;
  try {
    issued = caller.access.issue(form.get('RoleArn') ?? '', form.get('RoleSessionName') ?? '', duration, caller.now);
  } catch (problem) {
    if (problem instanceof AccessSettingError) return error(requestId, 400, 'ValidationError', problem.message);
    throw problem;
  }
  const roleId = `AROA${issued.accessKeyId.slice(4)}`;
  return {
    requestId,
    status: 200,
    body: xml(
      `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult><Credentials>` +
        `<AccessKeyId>${issued.accessKeyId}</AccessKeyId><SecretAccessKey>${issued.secretAccessKey}</SecretAccessKey>` +
        `<SessionToken>${issued.sessionToken}</SessionToken><Expiration>${new Date(issued.expiration).toISOString()}</Expiration>` +
        `</Credentials><AssumedRoleUser><Arn>${escapeXml(issued.assumedRoleArn)}</Arn>` +
        `<AssumedRoleId>${roleId}:${escapeXml(form.get('RoleSessionName') ?? '')}</AssumedRoleId></AssumedRoleUser>` +
        `</AssumeRoleResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    ),
  };
}

export function handleStsCall(form: URLSearchParams, caller: StsCaller): StsAnswer {
  const requestId = randomUUID();
  const action = form.get('Action');
  if (action === 'GetCallerIdentity') return callerIdentity(requestId, caller);
  if (action === 'AssumeRole') return assumeRole(requestId, form, caller);
  return error(requestId, 400, 'InvalidAction', `local-ecr serves only GetCallerIdentity and AssumeRole, not ${action ?? '(none)'}`);
}
