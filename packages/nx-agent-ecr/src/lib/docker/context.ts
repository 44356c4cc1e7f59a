// The Docker build context as BuildKit sees it: the ignore file that applies, its rules, what the Dockerfile
// reads, and so which context paths reach the image. The content tag and graph inference both ask this module,
// so "the image changed" and "Nx says affected" cannot disagree about a file.
import ignore from '@balena/dockerignore';
import type { WorkspaceFiles } from '../workspace-files';
import { dockerfileSources, normalizeContextPath, type DockerfileSource } from './dockerfile-sources';

/** One build's Dockerfile and context, workspace-relative ("" is the workspace root). */
export interface ContextSpec {
  dockerfile: string;
  contextDir: string;
}

export interface IgnoreRule {
  /** Context-relative pattern without the leading "!". */
  pattern: string;
  /** true for "!pattern": re-includes what an earlier rule excluded. */
  include: boolean;
}

/** Everything that decides which context files reach the image. */
export interface DockerContext extends ContextSpec {
  /** The ignore file BuildKit uses, workspace-relative; undefined when there is none. */
  ignoreFile?: string;
  /** The ignore files whose creation, deletion or change can change the context (the active one among them). */
  watchedIgnoreFiles: string[];
  ignoreText: string;
  rules: IgnoreRule[];
  dockerfileText: string;
  sources: DockerfileSource[];
}

const WILDCARD = /[*?[\]]/;

export const hasWildcard = (pattern: string) => WILDCARD.test(pattern);

/**
 * The ignore files that can decide the context, as BuildKit picks them: "<Dockerfile>.dockerignore" when it exists,
 * else "<context>/.dockerignore". The Dockerfile-specific path is always watched, so creating it counts.
 */
export function ignoreFileCandidates(spec: ContextSpec, exists: (file: string) => boolean): { active?: string; watched: string[] } {
  const specific = `${spec.dockerfile}.dockerignore`;
  if (exists(specific)) return { active: specific, watched: [specific] };
  const shared = [spec.contextDir, '.dockerignore'].filter((part) => part !== '').join('/');
  return { active: exists(shared) ? shared : undefined, watched: [shared, specific] };
}

/** Parses ignore-file text the way BuildKit reads it: comments, blank lines, "!" re-includes, paths cleaned. */
export function parseIgnoreRules(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const include = trimmed.startsWith('!');
    const pattern = normalizeContextPath(include ? trimmed.slice(1).trim() : trimmed);
    if (pattern !== '') rules.push({ pattern, include });
  }
  return rules;
}

/** Reads one build's context description through the workspace-files port. */
export function readDockerContext(spec: ContextSpec, files: WorkspaceFiles): DockerContext {
  const candidates = ignoreFileCandidates(spec, (file) => files.isFile(file));
  const ignoreText = candidates.active ? (files.read(candidates.active) ?? '') : '';
  const dockerfileText = files.read(spec.dockerfile) ?? '';
  return {
    ...spec,
    ignoreFile: candidates.active,
    watchedIgnoreFiles: candidates.watched,
    ignoreText,
    rules: parseIgnoreRules(ignoreText),
    dockerfileText,
    sources: dockerfileSources(dockerfileText),
  };
}

/** The literal leading segments of a pattern, up to its first wildcard segment. */
export function staticSegments(pattern: string): string[] {
  const segments = pattern.split('/').filter((segment) => segment !== '');
  const firstWild = segments.findIndex((segment) => hasWildcard(segment));
  return firstWild === -1 ? segments : segments.slice(0, firstWild);
}

/** Whether two context patterns can name a common path; errs towards "yes" when unsure. */
export function mayOverlap(a: string, b: string): boolean {
  const sa = staticSegments(a);
  const sb = staticSegments(b);
  // Two literal segments at the same depth that differ keep the patterns apart; anything else may meet.
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    if (sa[i] !== sb[i]) return false;
  }
  return true;
}

/** Whether `inner` lies inside (or is) the literal path `outer` ("" is the whole context). */
export function isWithin(inner: string, outer: string): boolean {
  return outer === '' || inner === outer || inner.startsWith(`${outer}/`);
}

/** BuildKit's matcher for a list of rules (case-sensitive, as on Linux). */
export function ignoreMatcher(rules: IgnoreRule[]): { ignores(path: string): boolean } {
  return ignore({ ignorecase: false }).add(rules.map((rule) => (rule.include ? `!${rule.pattern}` : rule.pattern)));
}

export interface ContextFilter {
  /** Whether the context path (a file, or a directory itself) is sent by BuildKit and read by the Dockerfile. */
  reaches(path: string): boolean;
  /** Whether a walk must enter the directory: something below it may still reach the image. */
  mayHoldReaching(dir: string): boolean;
}

/** "What reaches the image" for one context: not dropped by the ignore file, and read by a COPY/ADD/bind mount. */
export function contextFilter(context: Pick<DockerContext, 'rules' | 'sources'>): ContextFilter {
  const ignored = ignoreMatcher(context.rules);
  const wholeContext = context.sources.some((source) => source.path === '');
  // A source that names a directory takes its whole tree: the dockerignore matcher has exactly that meaning.
  const read = ignoreMatcher(context.sources.map((source) => ({ pattern: source.path, include: false })));
  const reincludes = context.rules.filter((rule) => rule.include);
  return {
    reaches: (path) => !ignored.ignores(path) && (wholeContext || read.ignores(path)),
    mayHoldReaching: (dir) =>
      (wholeContext || context.sources.some((source) => mayOverlap(source.path, dir))) &&
      (!ignored.ignores(dir) || reincludes.some((rule) => mayOverlap(rule.pattern, dir))),
  };
}
