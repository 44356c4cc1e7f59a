// Turns "what the Dockerfile reads" and "what .dockerignore drops" into Nx target inputs (pure).
import ignore from '@balena/dockerignore';
import type { DockerfileSource } from '../docker/dockerfile-sources';
import { normalizeContextPath } from '../docker/dockerfile-sources';

export interface IgnoreRule {
  /** Context-relative pattern without the leading "!". */
  pattern: string;
  /** true for "!pattern": re-includes what an earlier rule excluded. */
  include: boolean;
}

export interface ImageInputsSpec {
  /** Workspace-relative build context ("" is the workspace root). */
  contextDir: string;
  /** Workspace-relative Dockerfile path. */
  dockerfile: string;
  /** Workspace-relative ignore files whose presence or content decides the context (both candidates). */
  ignoreFiles: string[];
  sources: DockerfileSource[];
  rules: IgnoreRule[];
  /** Whether a context-relative path is a regular file today; unknown paths get file and tree patterns. */
  isFile?: (contextPath: string) => boolean;
}

const WILDCARD = /[*?[\]]/;

/** Parses .dockerignore text the way the builder reads it: comments, blank lines, "!" re-includes. */
export function parseDockerignore(text: string): IgnoreRule[] {
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

function staticSegments(pattern: string): string[] {
  const segments = pattern.split('/').filter((segment) => segment !== '');
  const firstWild = segments.findIndex((segment) => WILDCARD.test(segment));
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

/** Whether `inner` lies inside (or is) the literal path `outer`. */
function isWithin(inner: string, outer: string): boolean {
  return outer === '' || inner === outer || inner.startsWith(`${outer}/`);
}

/** Context-relative patterns of files that can reach the image (a superset, never a subset). */
export function includedPatterns(
  sources: DockerfileSource[],
  rules: IgnoreRule[],
  isFile: (contextPath: string) => boolean = () => false,
): string[] {
  // A directory (or a path not known yet) stands for its whole tree, so files added or deleted later still match.
  const fileOrTree = (path: string): string[] => (path === '' ? ['**/*'] : isFile(path) ? [path] : [path, `${path}/**/*`]);
  const matcher = ignore().add(rules.map((rule) => (rule.include ? `!${rule.pattern}` : rule.pattern)));
  // An allow-list ("*" first) excludes the context root itself; a whole-context copy then takes only what it re-includes.
  const excludesAll = rules.length > 0 && !rules[0].include && ['*', '**', '**/*'].includes(rules[0].pattern);
  const patterns: string[] = [];
  for (const { path } of sources) {
    const excluded = path === '' ? excludesAll : !WILDCARD.test(path) && matcher.ignores(path);
    if (!excluded) {
      patterns.push(...(WILDCARD.test(path) ? [path, `${path}/**/*`] : fileOrTree(path)));
      continue;
    }
    for (const rule of rules) {
      if (!rule.include) continue;
      if (isWithin(staticSegments(rule.pattern).join('/'), path)) {
        patterns.push(...(WILDCARD.test(rule.pattern) ? [rule.pattern, `${rule.pattern}/**/*`] : fileOrTree(rule.pattern)));
      } else if (mayOverlap(rule.pattern, path)) {
        patterns.push(...fileOrTree(path));
      }
    }
  }
  return [...new Set(patterns)];
}

/**
 * Context-relative patterns of files the context drops for sure: exclusions no later "!" rule can undo. A rule
 * that also matches one of `keep` (the Dockerfile, the ignore file) is left out: those decide the build even
 * when the context drops them, and an Nx negation would win over their own entries.
 */
export function excludedPatterns(rules: IgnoreRule[], keep: string[] = []): string[] {
  const patterns: string[] = [];
  rules.forEach((rule, index) => {
    if (rule.include) return;
    const undone = rules.slice(index + 1).some((later) => later.include && mayOverlap(later.pattern, rule.pattern));
    const matchesKept = keep.some((path) => ignore().add(rule.pattern).ignores(path));
    if (!undone && !matchesKept) patterns.push(rule.pattern, `${rule.pattern}/**/*`);
  });
  return patterns;
}

function joinPath(dir: string, path: string): string {
  return [dir, path].filter((part) => part !== '').join('/');
}

/**
 * Writes a workspace-relative pattern (optionally "!"-negated) as an Nx input. Always {workspaceRoot}: Nx groups
 * {projectRoot} and {workspaceRoot} patterns into separate file sets and a negation only subtracts from its own
 * set, so one prefix keeps the negations working here, and keeps them away from a target's own {projectRoot}
 * entries (a test target adding "{projectRoot}/tests/**" must not lose it to a "!tests" of .dockerignore).
 */
export function toInputPattern(workspacePath: string): string {
  return workspacePath.startsWith('!') ? `!{workspaceRoot}/${workspacePath.slice(1)}` : `{workspaceRoot}/${workspacePath}`;
}

/**
 * The inputs of an image target: the Dockerfile, the ignore files, every context file a COPY/ADD/bind mount can
 * take in, minus what .dockerignore drops for sure. Nothing else (README, tests outside the copied paths, other
 * services) is an input, and npm packages are not (`externalDependencies: []`): they never reach a Python image.
 */
export function imageInputs(spec: ImageInputsSpec): (string | { externalDependencies: string[] })[] {
  const files = [spec.dockerfile, ...spec.ignoreFiles];
  const included = includedPatterns(spec.sources, spec.rules, spec.isFile).map((pattern) => joinPath(spec.contextDir, pattern));
  const keep = files
    .filter((file) => isWithin(file, spec.contextDir))
    .map((file) => (spec.contextDir === '' ? file : file.slice(spec.contextDir.length + 1)));
  const excluded = excludedPatterns(spec.rules, keep).map((pattern) => `!${joinPath(spec.contextDir, pattern)}`);
  const patterns = [...new Set([...files, ...included, ...excluded])].map(toInputPattern);
  return [...patterns, { externalDependencies: [] }];
}
