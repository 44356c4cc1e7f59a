// AWS errors as users should read them: the SDK's error name, and AccessDenied turned into the IAM action to grant.
import { oneLine, UserError } from '../errors';

/** The error's name as the SDK reports it (`RepositoryNotFoundException`, …), or undefined for non-errors. */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** Turns AccessDenied into a line naming the IAM action; rethrows anything else unchanged. */
export function explainAccessDenied(error: unknown, action: string, resource: string): never {
  const name = awsErrorName(error);
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    throw new UserError(`Access denied: the role needs IAM permission "${action}" on ${resource} (${oneLine(error)}).`);
  }
  throw error;
}
