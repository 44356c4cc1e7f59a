// Repository name template `<projectName>-<environment>-<service>` and the tags to push, resolved from options,
// environment variables, `.env.ecr` at the workspace root and the workspace's own name.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';

export const ENV_FILE = '.env.ecr';

// ECR's repository-name pattern (namespaces separated by "/"), 2..256 characters.
const REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
// Docker/ECR tag rule.
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export interface NamingOptions {
  projectName?: string;
  environment?: string;
  service?: string;
  repositoryName?: string;
}

export interface NamingFacts {
  /** Process environment; it wins over the file. */
  env: NodeJS.ProcessEnv;
  /** Parsed `.env.ecr` (empty when absent). */
  envFile: Record<string, string>;
  /** Root package.json name or nx.json name, already made repository-safe. */
  workspaceName: string;
  /** The Nx project name. */
  nxProject: string;
}

export interface Naming {
  projectName: string;
  environment: string;
  service: string;
  repositoryName: string;
}

/** Option → PROJECT_NAME/ENVIRONMENT (process env, then .env.ecr) → workspace name / `dev`. */
export function resolveNaming(options: NamingOptions, facts: NamingFacts): Naming {
  const lookup = (key: string) => facts.env[key] || facts.envFile[key] || undefined;
  const projectName = options.projectName || lookup('PROJECT_NAME') || facts.workspaceName;
  const environment = options.environment || lookup('ENVIRONMENT') || 'dev';
  const service = options.service || facts.nxProject;
  const repositoryName = options.repositoryName || repositoryNameFor(projectName, environment, service);
  return { projectName, environment, service, repositoryName };
}

export function repositoryNameFor(projectName: string, environment: string, service: string): string {
  return `${projectName}-${environment}-${service}`;
}

/** One line when `name` is not a valid ECR repository name, else undefined. */
export function repositoryNameError(name: string): string | undefined {
  if (REPOSITORY_NAME.test(name)) return undefined;
  return (
    `Invalid ECR repository name "${name}": use 2-256 ` +
    `lowercase letters, digits and . _ - / (no leading, ` +
    `trailing or doubled separators); set --repositoryName or fix projectName/environment/service.`
  );
}

export function tagError(tag: string): string | undefined {
  if (TAG.test(tag)) return undefined;
  return `Invalid image tag "${tag}": use up to 128 characters of letters, digits, _ . - (not starting with . or -).`;
}

/** Tags to push: the option (default `latest` + git short sha) with `{gitSha}`/`{environment}` filled in, plus the content tag. */
export function resolveTags(tags: string[] | undefined, facts: { gitSha?: string; environment: string; contentTag: string }): string[] {
  const wanted = tags ?? ['latest', '{gitSha}'];
  const expanded = wanted
    .filter((tag) => facts.gitSha || !tag.includes('{gitSha}'))
    .map((tag) => tag.replaceAll('{gitSha}', facts.gitSha ?? '').replaceAll('{environment}', facts.environment));
  return [...new Set([facts.contentTag, ...expanded])];
}

/** `.env.ecr` at the workspace root, parsed with dotenv (never a hand-written parser). */
export function readEnvFile(workspaceRoot: string): Record<string, string> {
  const file = join(workspaceRoot, ENV_FILE);
  return existsSync(file) ? parse(readFileSync(file)) : {};
}

/** The workspace's name: root package.json `name`, else nx.json `name`, made repository-safe (`@acme/x` → `acme-x`). */
export function workspaceName(workspaceRoot: string): string {
  for (const file of ['package.json', 'nx.json']) {
    const path = join(workspaceRoot, file);
    if (!existsSync(path)) continue;
    const name = (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name;
    if (typeof name === 'string' && name) return safeName(name);
  }
  return 'workspace';
}

export function safeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/^@/, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '');
}

/** Naming for a project of this workspace: reads `.env.ecr` and the workspace name itself. */
export function resolveWorkspaceNaming(
  options: NamingOptions,
  workspaceRoot: string,
  nxProject: string,
  env: NodeJS.ProcessEnv = process.env,
): Naming {
  return resolveNaming(options, { env, envFile: readEnvFile(workspaceRoot), workspaceName: workspaceName(workspaceRoot), nxProject });
}

/**
 * The repository a promotion copies from: `promoteFromRepository`, else the `promoteFrom` environment's repository
 * (default `dev`) of the same projectName and service; none when it is this environment, disabled with "", or when
 * a custom repositoryName leaves no template to derive it from.
 */
export function promoteFromRepositoryName(
  naming: Naming,
  options: { promoteFrom?: string; promoteFromRepository?: string; repositoryName?: string },
): string | undefined {
  const explicit = options.promoteFromRepository;
  if (explicit) return explicit === naming.repositoryName ? undefined : explicit;
  const from = options.promoteFrom ?? 'dev';
  if (!from || from === naming.environment || options.repositoryName) return undefined;
  return repositoryNameFor(naming.projectName, from, naming.service);
}
