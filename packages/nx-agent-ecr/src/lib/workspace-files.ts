// The one place the Docker context and graph inference read the file system: a small port, so both can be tested on a map.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkspaceFiles {
  /** Text of a workspace-relative file, or undefined when it is not a readable file. */
  read(file: string): string | undefined;
  /** Whether a workspace-relative path is an existing regular file. */
  isFile(file: string): boolean;
  /** Whether a workspace-relative path exists (file or directory). */
  exists(path: string): boolean;
}

export function diskWorkspaceFiles(workspaceRoot: string): WorkspaceFiles {
  const stat = (path: string) => statSync(join(workspaceRoot, path), { throwIfNoEntry: false });
  return {
    read: (file) => (stat(file)?.isFile() ? readFileSync(join(workspaceRoot, file), 'utf8') : undefined),
    isFile: (file) => stat(file)?.isFile() ?? false,
    exists: (path) => stat(path) !== undefined,
  };
}

/** An in-memory workspace for specs: paths of files and their text; directories are implied. */
export function memoryWorkspaceFiles(files: Record<string, string>): WorkspaceFiles {
  const paths = Object.keys(files);
  return {
    read: (file) => files[file],
    isFile: (file) => file in files,
    exists: (path) => path === '' || paths.some((file) => file === path || file.startsWith(`${path}/`)),
  };
}
