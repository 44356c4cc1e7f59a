// Finds the local path dependencies in pip requirements files, following -r/-c includes (pure; reads through a port).
import { posix } from 'node:path';

export interface RequirementsLine {
  /** Local paths named by the line (as written, relative to the file's directory unless absolute). */
  localPaths: string[];
  /** Other requirements/constraints files the line includes (-r, -c). */
  includes: string[];
}

export interface LocalRequirement {
  /** Workspace-relative requirements file that names the path. */
  file: string;
  /** The path as written. */
  raw: string;
}

const URL_OR_VCS = /^(?:[a-z][a-z0-9+.-]*:\/\/|git\+|hg\+|svn\+|bzr\+)/i;
const INCLUDE = /^(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)/;
const EDITABLE = /^(?:-e|--editable)(?:\s*=\s*|\s+)(\S+)/;
const DIRECT_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*@\s*(\S+)/;

/** Strips what pip strips from a path requirement: extras, #egg= fragments, environment markers. */
function cleanPath(raw: string): string {
  return raw
    .split(';')[0]
    .split('#')[0]
    .replace(/\[[^\]]*\]$/, '')
    .trim();
}

function localFromFileUrl(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  // file:../../libs/x (relative, pip accepts it) or file:///abs/path.
  return url.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
}

function looksLikePath(token: string): boolean {
  return token.startsWith('.') || token.startsWith('/') || (token.includes('/') && !URL_OR_VCS.test(token));
}

/** Classifies one logical requirements line (comments and continuations already removed). */
export function parseRequirementsLine(line: string): RequirementsLine {
  const none: RequirementsLine = { localPaths: [], includes: [] };
  const include = INCLUDE.exec(line);
  if (include) return { localPaths: [], includes: [include[1]] };
  const editable = EDITABLE.exec(line);
  const target = editable ? editable[1] : line.startsWith('-') ? undefined : line;
  if (!target) return none;
  const reference = DIRECT_REFERENCE.exec(target);
  const candidate = reference ? reference[1] : target.split(/\s+/)[0];
  const fromUrl = localFromFileUrl(candidate);
  if (fromUrl !== undefined) return { localPaths: [cleanPath(fromUrl)], includes: [] };
  if (URL_OR_VCS.test(candidate) || reference) return none;
  const path = cleanPath(candidate);
  return looksLikePath(path) ? { localPaths: [path], includes: [] } : none;
}

/** Splits requirements text into logical lines: joins "\" continuations, drops comments and blanks. */
export function logicalLines(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
}

/**
 * Every local path named by `file` and the files it includes, each with the file that names it. `read` returns
 * a workspace-relative file's text, or undefined when it does not exist (a missing include is skipped: pip
 * would fail on it, and the graph is not the place to report that).
 */
export function collectLocalRequirements(file: string, read: (file: string) => string | undefined): LocalRequirement[] {
  const found: LocalRequirement[] = [];
  const visited = new Set<string>();
  const visit = (current: string): void => {
    if (visited.has(current)) return;
    visited.add(current);
    const text = read(current);
    if (text === undefined) return;
    for (const line of logicalLines(text)) {
      const parsed = parseRequirementsLine(line);
      for (const raw of parsed.localPaths) found.push({ file: current, raw });
      for (const include of parsed.includes) visit(posix.normalize(posix.join(posix.dirname(current), include)));
    }
  };
  visit(posix.normalize(file));
  return found;
}
