// Where the plugin keeps what it may forget (caches): Nx's workspace data directory (.nx/workspace-data by default,
// NX_WORKSPACE_DATA_DIRECTORY or nx.json when set), asked of the Nx module its processes have loaded already.
import { join } from 'node:path';

interface NxCacheDirectory {
  workspaceDataDirectory: string;
  workspaceDataDirectoryForWorkspace?: (workspaceRoot: string) => string;
}

export function workspaceDataDirectory(workspaceRoot: string): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an Nx internal, optional: older Nx lacks it
    const nx = require('nx/src/utils/cache-directory') as NxCacheDirectory;
    return nx.workspaceDataDirectoryForWorkspace?.(workspaceRoot) ?? nx.workspaceDataDirectory;
  } catch {
    return join(workspaceRoot, '.nx', 'workspace-data');
  }
}
