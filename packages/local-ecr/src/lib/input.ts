// Typed reads of an ECR JSON request body, failing with ECR's InvalidParameterException.
import { invalidParameter } from './errors';

export type Input = Record<string, unknown>;

export function asInput(body: string): Input {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalidParameter('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter('The request body must be a JSON object.');
  }
  return parsed as Input;
}

export function optionalString(input: Input, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw invalidParameter(`Invalid parameter at '${key}' failed to satisfy constraint: 'Member must be a string'`);
  return value;
}

export function requiredString(input: Input, key: string): string {
  const value = optionalString(input, key);
  if (value === undefined) throw invalidParameter(`Invalid parameter at '${key}' failed to satisfy constraint: 'Member must not be null'`);
  return value;
}

export function optionalNumber(input: Input, key: string): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number')
    throw invalidParameter(`Invalid parameter at '${key}' failed to satisfy constraint: 'Member must be a number'`);
  return value;
}

export function optionalObject(input: Input, key: string): Input | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidParameter(`Invalid parameter at '${key}' failed to satisfy constraint: 'Member must be an object'`);
  return value as Input;
}

export function optionalArray(input: Input, key: string): unknown[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidParameter(`Invalid parameter at '${key}' failed to satisfy constraint: 'Member must be a list'`);
  return value as unknown[];
}

export function optionalStringArray(input: Input, key: string): string[] | undefined {
  const value = optionalArray(input, key);
  if (value && !value.every((item) => typeof item === 'string'))
    throw invalidParameter(`Invalid parameter at '${key}' failed to satisfy constraint: 'Member must be a list of strings'`);
  return value as string[] | undefined;
}

/** Pages a list the way ECR does: an opaque nextToken (here: the offset) and maxResults (1..1000). */
export function page<T>(items: T[], input: Input, limit = 1000): { items: T[]; nextToken?: string } {
  const maxResults = optionalNumber(input, 'maxResults') ?? limit;
  if (maxResults < 1 || maxResults > limit) {
    throw invalidParameter(
      `Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value between 1 and ${limit}'`,
    );
  }
  const token = optionalString(input, 'nextToken');
  const start = token === undefined ? 0 : Number.parseInt(Buffer.from(token, 'base64').toString('utf8'), 10);
  if (!Number.isInteger(start) || start < 0)
    throw invalidParameter(`Invalid parameter at 'nextToken': the token is not one this service handed out.`);
  const end = start + maxResults;
  return {
    items: items.slice(start, end),
    ...(end < items.length ? { nextToken: Buffer.from(String(end)).toString('base64') } : {}),
  };
}
