// Atomic JSON record files: a reader in a parallel task sees the old file or the new one, never half of either.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `value` as JSON (pretty, for people; `compact` for caches only programs read) through a temp file in the
 * same directory and a rename; returns `path`.
 */
export async function writeJsonAtomic(path: string, value: unknown, { compact = false } = {}): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(partial, `${compact ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return path;
}

/**
 * The record at `path`, undefined when there is none. Invalid JSON or a shape `isValid` rejects is an error
 * naming the file, what it lacks and `fix`.
 */
export async function readJsonRecord<T>(
  path: string,
  isValid: (value: unknown) => value is T,
  what: { name: string; fields: string; fix: string },
): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${what.name} ${path} is not valid JSON: ${what.fix}.`);
  }
  if (!isValid(parsed)) throw new Error(`${what.name} ${path} lacks ${what.fields}: ${what.fix}.`);
  return parsed;
}
