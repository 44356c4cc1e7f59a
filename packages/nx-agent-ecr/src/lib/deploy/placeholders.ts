// `{{name}}` placeholders in deploy files: every one is checked before any AWS call, then filled in once the
// values that come from AWS (account, region) and from this run's push (image) are known.
import { UserError } from '../errors';

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;
const ENV_PREFIX = 'env.';

/** The names a deploy file may use besides `{{env.NAME}}` (and, where a deploy allows it, `{{image:<project>}}`). */
export const PLACEHOLDER_NAMES = ['accountId', 'region', 'projectName', 'environment', 'service', 'image'] as const;
export type PlaceholderName = (typeof PLACEHOLDER_NAMES)[number];
/** Values by placeholder name; `image:<project>` keys carry other projects' image references. */
export type PlaceholderValues = Record<PlaceholderName, string> & Record<string, string>;

interface Found {
  path: string;
  name: string;
}

/** Every placeholder in the string values of `value`, with the JSON path of the string that holds it. */
export function findPlaceholders(value: unknown, path = ''): Found[] {
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].map((m) => ({ path: path || '(root)', name: m[1] as string }));
  if (Array.isArray(value)) return value.flatMap((item, i) => findPlaceholders(item, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => findPlaceholders(item, path ? `${path}.${key}` : key));
  }
  return [];
}

/**
 * Refuses, in one line naming the file and the JSON path, a placeholder that is not known or an `{{env.NAME}}`
 * whose variable is unset or empty, so a deploy never sends a half-rendered document to AWS.
 */
export function checkPlaceholders(
  value: unknown,
  file: string,
  env: NodeJS.ProcessEnv,
  allowed: readonly string[] = PLACEHOLDER_NAMES,
): void {
  for (const { path, name } of findPlaceholders(value)) {
    if (name.startsWith(ENV_PREFIX)) {
      const variable = name.slice(ENV_PREFIX.length);
      if (!env[variable]) {
        throw new UserError(
          `${file} ${path}: {{${name}}} needs the environment variable ${variable}, which is not set: ` +
            "export it (e.g. from the CI environment's variables) and run again.",
        );
      }
    } else if (!allowed.includes(name)) {
      throw new UserError(
        `${file} ${path}: unknown placeholder {{${name}}}; use one of ${allowed.map((n) => `{{${n}}}`).join(', ')}, ` +
          `{{env.NAME}}${allowed.includes('image') ? ' or {{image:<project>}}' : ''}.`,
      );
    }
  }
}

/** A deep copy of `value` with every placeholder replaced (call checkPlaceholders first). */
export function renderPlaceholders<T>(value: T, values: Partial<Record<string, string>>, env: NodeJS.ProcessEnv): T {
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (whole, name: string) => {
      const filled = name.startsWith(ENV_PREFIX) ? env[name.slice(ENV_PREFIX.length)] : values[name];
      return filled ?? whole;
    });
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return fill(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, walk(v)]));
    return item;
  };
  return walk(value) as T;
}
