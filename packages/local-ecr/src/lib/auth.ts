// Registry credentials as ECR hands them out: user "AWS" and a signed password that carries its own expiry, so
// issuing one stores nothing (no growth, no write); expire-tokens bumps a generation. Decisions are pure.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const REGISTRY_USER = 'AWS';
export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 60 * 60;

const FORMAT = 1;
/** format (1) · generation (4) · expiresAt ms (8, double) · nonce (16) */
const PAYLOAD_BYTES = 1 + 4 + 8 + 16;
const MAC_BYTES = 32;

export interface TokenKeys {
  /** HMAC key of the state directory (token-key file): passwords survive a restart, not a new directory. */
  key: Buffer;
  /** The state's tokenGeneration: passwords of older generations are expired. */
  generation: number;
}

export interface IssuedToken {
  /** base64("AWS:<password>"), what GetAuthorizationToken returns. */
  authorizationToken: string;
  password: string;
  expiresAt: number;
}

const mac = (key: Buffer, payload: Buffer) => createHmac('sha256', key).update(payload).digest();

/** Issues a new password valid for `ttlSeconds`. */
export function issueToken(keys: TokenKeys, ttlSeconds: number, now: number): IssuedToken {
  const expiresAt = now + ttlSeconds * 1000;
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(FORMAT, 0);
  payload.writeUInt32BE(keys.generation >>> 0, 1);
  payload.writeDoubleBE(expiresAt, 5);
  randomBytes(16).copy(payload, 13);
  const password = Buffer.concat([payload, mac(keys.key, payload)]).toString('base64url');
  return { authorizationToken: Buffer.from(`${REGISTRY_USER}:${password}`).toString('base64'), password, expiresAt };
}

export type AuthDecision = 'ok' | 'missing' | 'invalid' | 'expired';

/** Decides on a password: signed by this state directory, of the current generation and not past its expiry. */
export function checkPassword(keys: TokenKeys, password: string, now: number): AuthDecision {
  const bytes = Buffer.from(password, 'base64url');
  if (bytes.length !== PAYLOAD_BYTES + MAC_BYTES) return 'invalid';
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  if (!timingSafeEqual(bytes.subarray(PAYLOAD_BYTES), mac(keys.key, payload)) || payload.readUInt8(0) !== FORMAT) return 'invalid';
  // A signed password of an older generation or past its expiry is "expired" (as from ECR), never "invalid".
  return payload.readUInt32BE(1) === keys.generation >>> 0 && payload.readDoubleBE(5) > now ? 'ok' : 'expired';
}

/** Decides on an `Authorization` header of a registry request. */
export function checkAuthorization(keys: TokenKeys, header: string | undefined, now: number): AuthDecision {
  if (!header) return 'missing';
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)?.[1];
  if (!encoded) return 'invalid';
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0 || decoded.slice(0, colon) !== REGISTRY_USER) return 'invalid';
  return checkPassword(keys, decoded.slice(colon + 1), now);
}
