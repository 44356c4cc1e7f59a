// What the registry endpoint answers to requests without valid credentials, as ECR's registry does.
import { checkAuthorization } from './auth';
import { type ServerContext, tokenKeys } from './context';
import { RegistryError } from './errors';

export interface AuthRefusal {
  error: RegistryError;
  headers: Record<string, string>;
}

/** Undefined when the request carries a live ECR password; otherwise the refusal to send. */
export function registryAuthRefusal(context: ServerContext, authorization: string | undefined): AuthRefusal | undefined {
  const decision = checkAuthorization(tokenKeys(context), authorization, context.now());
  if (decision === 'ok') return undefined;
  if (decision === 'expired') {
    // ECR answers 403 DENIED here (not 401), which is what clients that re-login on expiry look for.
    return { error: new RegistryError(403, 'DENIED', 'Your authorization token has expired. Reauthenticate and try again.'), headers: {} };
  }
  const challenge = `Basic realm="http://${context.host}/",service="ecr.amazonaws.com"`;
  const message = decision === 'missing' ? 'authentication required' : 'Not Authorized';
  return { error: new RegistryError(401, 'UNAUTHORIZED', message), headers: { 'www-authenticate': challenge } };
}
