// The secrets of a state directory: the token signing key (kept) and the admin secret (new for each instance).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_KEY_FILE = 'token-key';
export const ADMIN_SECRET_FILE = 'admin-secret';
/** The header admin requests carry the secret in (a browser cannot add it to a cross-site request). */
export const ADMIN_SECRET_HEADER = 'x-local-ecr-secret';

/** Writes a file only its owner can read, atomically (a reader never sees it half-written or world-readable). */
function writePrivate(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, file);
}

/** The HMAC key that signs registry passwords; created once per state directory. */
export function tokenKey(stateDir: string): Buffer {
  const file = join(stateDir, TOKEN_KEY_FILE);
  if (!existsSync(file)) writePrivate(file, randomBytes(32).toString('hex'));
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (key.length < 16) throw new Error(`${file} is not a key local-ecr wrote; delete it (every registry password becomes invalid).`);
  return key;
}

/** A fresh admin secret for this instance, written to <stateDir>/admin-secret (0600). */
export function newAdminSecret(stateDir: string): string {
  const secret = randomBytes(24).toString('base64url');
  writePrivate(join(stateDir, ADMIN_SECRET_FILE), `${secret}\n`);
  return secret;
}

/** The admin secret of the instance serving a state directory, as the CLI and the test helpers read it. */
export function readAdminSecret(stateDir: string): string {
  const file = join(stateDir, ADMIN_SECRET_FILE);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(
      `local-ecr: cannot read ${file}; the admin API needs the secret of the running instance (is it running for ${stateDir}?).`,
    );
  }
}

export const removeAdminSecret = (stateDir: string) => rmSync(join(stateDir, ADMIN_SECRET_FILE), { force: true });

/** Compares a presented secret with the instance's in constant time. */
export function secretMatches(expected: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
