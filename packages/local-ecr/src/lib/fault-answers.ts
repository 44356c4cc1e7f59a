// The answers an injected error code gets, in the shape the real service sends on each protocol: ECR's JSON 1.1
// (status, `__type`, `x-amzn-ErrorType`), STS's query XML, and the registry API's `{"errors":[…]}`.
import { randomUUID } from 'node:crypto';
import { escapeXml } from './sts';

export interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const CALLER = (accountId: string) => `arn:aws:iam::${accountId}:user/local-ecr`;
const notAuthorized = (accountId: string, action: string, resource: string) =>
  `User: ${CALLER(accountId)} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

interface Where {
  accountId: string;
  region: string;
  /** The ECR operation or IAM action name (PutImage, InitiateLayerUpload). */
  action: string;
  repository?: string;
}

const resourceOf = (where: Where) =>
  where.repository ? `arn:aws:ecr:${where.region}:${where.accountId}:repository/${where.repository}` : '*';

/** ECR API (AWS JSON 1.1). Coral's own exceptions carry their namespace, as ECR sends them; the SDK strips it. */
export function ecrFaultAnswer(code: string, message: string | undefined, where: Where): FaultAnswer {
  const json = (status: number, type: string, namespace: string | undefined, body: Record<string, string>): FaultAnswer => ({
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': randomUUID(),
      'x-amzn-errortype': namespace ? `${type}:http://internal.amazon.com/coral/${namespace}/` : `${type}:`,
    },
    body: JSON.stringify({ __type: namespace ? `${namespace}#${type}` : type, ...body }),
  });
  switch (code) {
    case 'ThrottlingException':
      return json(400, code, 'com.amazon.coral.availability', { message: message ?? 'Rate exceeded' });
    case 'AccessDeniedException':
      return json(400, code, 'com.amazon.coral.service', {
        Message: message ?? notAuthorized(where.accountId, `ecr:${where.action}`, resourceOf(where)),
      });
    case 'ServerException':
    case 'InternalFailure':
      return json(500, code, undefined, { message: message ?? 'An internal error occurred. Try again later.' });
    case 'ServiceUnavailableException':
      return json(503, code, undefined, { message: message ?? 'Service Unavailable' });
    default:
      return json(400, code, undefined, { message: message ?? `${code} (injected by local-ecr)` });
  }
}

/** STS (query protocol, XML). ECR-style names map to STS's own codes: Throttling, AccessDenied, InternalFailure. */
export function stsFaultAnswer(code: string, message: string | undefined, where: Where): FaultAnswer {
  const [status, type, stsCode, text] = ((): [number, string, string, string] => {
    switch (code) {
      case 'ThrottlingException':
      case 'Throttling':
        return [400, 'Sender', 'Throttling', 'Rate exceeded'];
      case 'AccessDeniedException':
      case 'AccessDenied':
        return [403, 'Sender', 'AccessDenied', notAuthorized(where.accountId, 'sts:GetCallerIdentity', '*')];
      case 'ServerException':
      case 'InternalFailure':
        return [500, 'Receiver', 'InternalFailure', 'An internal error occurred.'];
      default:
        return [400, 'Sender', code, `${code} (injected by local-ecr)`];
    }
  })();
  const requestId = randomUUID();
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${type}</Type>` +
    `<Code>${stsCode}</Code><Message>${escapeXml(message ?? text)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`;
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

/** Registry API: ECR's registry answers throttling with 429 TOOMANYREQUESTS and refusals with 403 DENIED. */
export function registryFaultAnswer(code: string, message: string | undefined, where: Where): FaultAnswer {
  const [status, registryCode, text] = ((): [number, string, string] => {
    switch (code) {
      case 'ThrottlingException':
        return [429, 'TOOMANYREQUESTS', 'Rate exceeded'];
      case 'AccessDeniedException':
        return [403, 'DENIED', notAuthorized(where.accountId, `ecr:${where.action}`, resourceOf(where))];
      case 'ServerException':
      case 'InternalFailure':
        return [500, 'UNKNOWN', 'An internal error occurred. Try again later.'];
      case 'ServiceUnavailableException':
        return [503, 'UNAVAILABLE', 'Service Unavailable'];
      default:
        return [400, code, `${code} (injected by local-ecr)`];
    }
  })();
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'docker-distribution-api-version': 'registry/2.0' },
    body: JSON.stringify({ errors: [{ code: registryCode, message: message ?? text, detail: null }] }),
  };
}
