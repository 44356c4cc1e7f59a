// Turns the Docker context's "what reaches the image" (lib/docker/context.ts) into Nx target inputs (pure).
import { hasWildcard, ignoreMatcher, isWithin, mayOverlap, staticSegments, type DockerContext, type IgnoreRule } from '../docker/context';
import type { DockerfileSource } from '../docker/dockerfile-sources';

export type ImageInputsSpec = Pick<DockerContext, 'contextDir' | 'dockerfile' | 'watchedIgnoreFiles' | 'sources' | 'rules'> & {
  /** Whether a context-relative path is a regular file today; unknown paths get file and tree patterns. */
  isFile?: (contextPath: string) => boolean;
};

/** Context-relative patterns of files that can reach the image (a superset, never a subset). */
export function includedPatterns(
  sources: DockerfileSource[],
  rules: IgnoreRule[],
  isFile: (contextPath: string) => boolean = () => false,
): string[] {
  // A directory (or a path not known yet) stands for its whole tree, so files added or deleted later still match.
  const fileOrTree = (path: string): string[] => (path === '' ? ['**/*'] : isFile(path) ? [path] : [path, `${path}/**/*`]);
  const matcher = ignoreMatcher(rules);
  // An allow-list ("*" first) excludes the context root itself; a whole-context copy then takes only what it re-includes.
  const excludesAll = rules.length > 0 && !rules[0].include && ['*', '**', '**/*'].includes(rules[0].pattern);
  const patterns: string[] = [];
  for (const { path } of sources) {
    const excluded = path === '' ? excludesAll : !hasWildcard(path) && matcher.ignores(path);
    if (!excluded) {
      patterns.push(...(hasWildcard(path) ? [path, `${path}/**/*`] : fileOrTree(path)));
      continue;
    }
    for (const rule of rules) {
      if (!rule.include) continue;
      if (isWithin(staticSegments(rule.pattern).join('/'), path)) {
        patterns.push(...(hasWildcard(rule.pattern) ? [rule.pattern, `${rule.pattern}/**/*`] : fileOrTree(rule.pattern)));
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
    const matchesKept = keep.some((path) => ignoreMatcher([rule]).ignores(path));
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
  const files = [spec.dockerfile, ...spec.watchedIgnoreFiles];
  const included = includedPatterns(spec.sources, spec.rules, spec.isFile).map((pattern) => joinPath(spec.contextDir, pattern));
  const keep = files
    .filter((file) => isWithin(file, spec.contextDir))
    .map((file) => (spec.contextDir === '' ? file : file.slice(spec.contextDir.length + 1)));
  const excluded = excludedPatterns(spec.rules, keep).map((pattern) => `!${joinPath(spec.contextDir, pattern)}`);
  const patterns = [...new Set([...files, ...included, ...excluded])].map(toInputPattern);
  return [...patterns, { externalDependencies: [] }];
}
