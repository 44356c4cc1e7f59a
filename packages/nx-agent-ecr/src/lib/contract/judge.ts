// Pure decisions of a contract check: is the image's platform, user and size within the contract, does an answer
// carry what its endpoint promises, and the one line that says so.
import type { ImageFacts } from '../docker/container';
import type { EndpointCheck, JsonScalar } from './contract';

export interface ClauseResult {
  /** "platform", "user", "size", "start", "health", or an endpoint as "GET /ping". */
  clause: string;
  ok: boolean;
  detail: string;
}

const pass = (clause: string, detail: string): ClauseResult => ({ clause, ok: true, detail });
const fail = (clause: string, detail: string): ClauseResult => ({ clause, ok: false, detail });

/** "linux/arm64" and "linux/arm64/v8" are the same platform; an image without a variant matches either. */
export function platformClause(facts: ImageFacts, platform: string): ClauseResult {
  const [os = '', arch = '', variant] = platform.split('/');
  const have = [facts.os, facts.architecture, facts.variant].filter(Boolean).join('/');
  const variantOk = !variant || !facts.variant || variant === facts.variant;
  if (facts.os === os && facts.architecture === arch && variantOk) return pass('platform', have);
  return fail('platform', `the image is ${have || 'of no platform'}, not ${platform}: build it with --platform ${platform}`);
}

const ROOT_USER = /^(|root|0)(:.*)?$/;
const NUMERIC_USER = /^\d+(:\d+)?$/;

/**
 * Config.User alone decides unless it is a name: empty, root or uid 0 is root; a non-zero uid is not. A name
 * (`agent`) can still map to uid 0, so that answer is "ask the running container" (undefined).
 */
export function userClause(user: string): ClauseResult | undefined {
  if (ROOT_USER.test(user.trim())) {
    const shown = user.trim() ? `USER is ${user}` : 'the image sets no USER';
    return fail('user', `runs as root (${shown}): add a non-root user and USER 10001:10001 to the Dockerfile`);
  }
  return NUMERIC_USER.test(user.trim()) ? pass('user', `user ${user}`) : undefined;
}

/** The answer of `id -u` in the running container, for a named USER. */
export function userFromId(user: string, exitCode: number, stdout: string): ClauseResult {
  if (exitCode !== 0) {
    return fail('user', `USER is the name "${user}" and the image has no \`id\` to tell its uid: use a numeric USER (e.g. 10001:10001)`);
  }
  const uid = stdout.trim();
  return uid === '0' ? fail('user', `USER "${user}" is uid 0 (root): give it a non-zero uid`) : pass('user', `user ${user} (uid ${uid})`);
}

export const formatMB = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0)} MB`;

export function sizeClause(sizeBytes: number, limitMB: number | undefined): ClauseResult {
  if (limitMB === undefined) return pass('size', formatMB(sizeBytes));
  const within = sizeBytes <= limitMB * 1e6;
  const detail = `${formatMB(sizeBytes)} ${within ? '≤' : '>'} the ${limitMB} MB limit`;
  return within ? pass('size', detail) : fail('size', `${detail}: make the image smaller (multi-stage, fewer packages)`);
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** The JSON of an answer: the body itself, or the first `data:` event of a text/event-stream (MCP's SSE answers). */
export function answerJson(answer: Answer): unknown {
  const candidates = /text\/event-stream/i.test(answer.contentType)
    ? answer.text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
    : [answer.text];
  for (const text of candidates) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // not JSON: try the next event
    }
  }
  return undefined;
}

function fieldAt(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((at, key) => (typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined), value);
}

const shown = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

/** What is wrong with an endpoint's answer, or undefined when it keeps the contract. */
export function answerProblem(check: EndpointCheck, answer: Answer): string | undefined {
  if (answer.status < 200 || answer.status > 299) return `answered HTTP ${answer.status}${snippet(answer.text)}`;
  const fields = Object.entries(check.fields ?? {});
  if (fields.length === 0) return undefined;
  const json = answerJson(answer);
  if (json === undefined) return `answered ${answer.contentType || 'no content type'} that is not JSON${snippet(answer.text)}`;
  for (const [path, allowed] of fields) {
    const value = fieldAt(json, path);
    if (value === undefined || value === null) return `the answer has no "${path}"${snippet(answer.text)}`;
    if (allowed.length > 0 && !allowed.includes(value as JsonScalar)) {
      return `"${path}" is ${shown(value)}, expected ${allowed.map(String).join(' or ')}`;
    }
  }
  return undefined;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat ? `: ${flat.length > 120 ? `${flat.slice(0, 117)}...` : flat}` : '';
}

/** The one line: every clause that passed in short, or every clause that broke with why. */
export function verdictLine(project: string, results: ClauseResult[]): { ok: boolean; line: string } {
  const broken = results.filter((r) => !r.ok);
  if (broken.length === 0) {
    return { ok: true, line: `Contract check of ${project} passed: ${results.map((r) => `${r.clause} (${r.detail})`).join(', ')}.` };
  }
  return { ok: false, line: `Contract check of ${project} failed: ${broken.map((r) => `${r.clause} — ${r.detail}`).join('; ')}.` };
}
