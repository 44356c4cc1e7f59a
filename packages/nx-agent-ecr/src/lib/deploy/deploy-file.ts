// A deploy file (task definition, AgentCore runtime configuration): read and parsed with one-line errors.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { UserError } from '../errors';

/** Where a project's deploy file is unless the target names another (the generator writes these). */
export const DEFAULT_DEPLOY_FILES = {
  ecs: 'deploy/ecs/task-definition.json',
  agentCore: 'deploy/agentcore.json',
} as const;

export interface DeployFile {
  /** Workspace-relative path, as users name it in options and errors. */
  file: string;
  json: Record<string, unknown>;
}

/** Reads `file` (relative to the workspace root); `hint` says how to get one when it is missing. */
export function readDeployFile(workspaceRoot: string, file: string, hint: string): DeployFile {
  const path = isAbsolute(file) ? file : join(workspaceRoot, file);
  const shown = isAbsolute(file) ? relative(workspaceRoot, file) || file : file;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`No deploy file at ${shown}: ${hint}.`);
    throw new UserError(`Cannot read ${shown}: ${(error as Error).message}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${shown} is not valid JSON (${jsonErrorAt(text, error)}): fix the file and run again.`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new UserError(`${shown} must hold a JSON object, not ${Array.isArray(json) ? 'an array' : String(json)}.`);
  return { file: shown, json: json as Record<string, unknown> };
}

/** The parser's message with a line and column: Node 20 and 22 give only an offset, Node 24 adds "(line L column C)". */
function jsonErrorAt(text: string, error: unknown): string {
  const message = (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)).replace(/ \(line \d+ column \d+\)$/, '');
  const offset = /position (\d+)/.exec(message)?.[1];
  if (offset === undefined) return message;
  const before = text.slice(0, Number(offset)).split('\n');
  return `${message}, line ${before.length} column ${(before.at(-1)?.length ?? 0) + 1}`;
}
