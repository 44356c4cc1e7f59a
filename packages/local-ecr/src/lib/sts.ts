// STS GetCallerIdentity over the AWS query protocol (form-encoded request, XML answer), for dummy credentials.
import { randomUUID } from 'node:crypto';

export interface StsAnswer {
  status: number;
  body: string;
  requestId: string;
}

/** Whether a form body is an STS query call (`Action=...&Version=2011-06-15`). */
export const isStsCall = (form: URLSearchParams) => form.has('Action') && form.get('Version') === '2011-06-15';

/** Escapes text for an XML element (an Action name comes from the client). */
export const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

const xml = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${inner}\n`;

export function handleStsCall(form: URLSearchParams, accountId: string): StsAnswer {
  const requestId = randomUUID();
  const action = form.get('Action');
  if (action !== 'GetCallerIdentity') {
    return {
      requestId,
      status: 400,
      body: xml(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidAction</Code>` +
          `<Message>local-ecr serves only GetCallerIdentity, not ${escapeXml(action ?? '(none)')}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      ),
    };
  }
  return {
    requestId,
    status: 200,
    body: xml(
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
        `<Arn>arn:aws:iam::${accountId}:user/local-ecr</Arn><UserId>AIDALOCALECR000000000</UserId><Account>${accountId}</Account>` +
        `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    ),
  };
}
