// Registry credentials as ECR hands them out: user "AWS", a random password that expires; decisions are pure.
import { createHash, randomBytes } from 'node:crypto';
import type { StateData } from './state';

export const REGISTRY_USER = 'AWS';
export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 60 * 60;

const hash = (password: string) => createHash('sha256').update(password).digest('hex');

export interface IssuedToken {
  /** base64("AWS:<password>"), what GetAuthorizationToken returns. */
  authorizationToken: string;
  password: string;
  expiresAt: number;
}

/** Expired passwords are remembered this long, so clients hear "expired" (as from ECR) rather than "invalid". */
const REMEMBER_EXPIRED_MS = 24 * 60 * 60 * 1000;

/** Issues a new password valid for `ttlSeconds`, remembering only its hash; prunes long-expired hashes. */
export function issueToken(state: StateData, ttlSeconds: number, now: number): IssuedToken {
  state.tokens = Object.fromEntries(Object.entries(state.tokens).filter(([, expiresAt]) => expiresAt > now - REMEMBER_EXPIRED_MS));
  const password = randomBytes(48).toString('base64url');
  const expiresAt = now + ttlSeconds * 1000;
  state.tokens[hash(password)] = expiresAt;
  return { authorizationToken: Buffer.from(`${REGISTRY_USER}:${password}`).toString('base64'), password, expiresAt };
}

/** Makes every password handed out so far expired (tests use it to expire a token mid-run). */
export function expireAllTokens(state: StateData, now: number): void {
  state.tokens = Object.fromEntries(Object.entries(state.tokens).map(([key, expiresAt]) => [key, Math.min(expiresAt, now)]));
}

export type AuthDecision = 'ok' | 'missing' | 'invalid' | 'expired';

/** Decides on an `Authorization` header of a registry request. */
export function checkAuthorization(state: StateData, header: string | undefined, now: number): AuthDecision {
  if (!header) return 'missing';
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)?.[1];
  if (!encoded) return 'invalid';
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0 || decoded.slice(0, colon) !== REGISTRY_USER) return 'invalid';
  const expiresAt = state.tokens[hash(decoded.slice(colon + 1))];
  if (expiresAt === undefined) return 'invalid';
  return expiresAt > now ? 'ok' : 'expired';
}
