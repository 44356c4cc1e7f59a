// Maps a workspace path to the project whose root contains it, innermost root first (pure).

/** Returns a lookup from workspace-relative path to project name; the workspace-root project is never an owner. */
export function projectOwnerLookup(projectRoots: Record<string, string>): (path: string) => string | undefined {
  const roots = Object.entries(projectRoots)
    .filter(([, root]) => root !== '' && root !== '.')
    .sort(([, a], [, b]) => b.length - a.length);
  return (path) => roots.find(([, root]) => path === root || path.startsWith(`${root}/`))?.[0];
}
