// Turns the generator's raw options into one NormalizedOptions, refusing bad input with a one-line message
// before anything is written.
import { getProjects, joinPathFragments, normalizePath, offsetFromRoot, type Tree } from '@nx/devkit';
import { type AgentServiceGeneratorSchema } from './schema';
import { serviceNameProblem, suggestServiceName } from './service-name';
import {
  isProtocol,
  isTemplateName,
  LANGFUSE_WORKER,
  protocolsOf,
  serviceContract,
  TEMPLATE_NAMES,
  TEMPLATES,
  type Contract,
  type Protocol,
  type TemplateInfo,
  type TemplateName,
} from './templates';

export const LIBS_DIR = 'libs';

export interface LibRef {
  name: string;
  /** Workspace-relative folder, e.g. libs/agent-common. */
  root: string;
  /** The same folder seen from the service folder (requirements.txt, pytest.ini), e.g. ../../libs/agent-common. */
  fromService: string;
}

export interface NormalizedOptions {
  name: string;
  template: TemplateName;
  info: TemplateInfo;
  protocol: Protocol;
  /** The runtime contract with the service's port: what its container answers. */
  contract: Contract;
  /** langfuse only: the worker image's own Nx project, in <projectRoot>/worker. */
  worker?: { name: string; root: string };
  projectRoot: string;
  /** "../../" for apps/<name>: the way back to the workspace root. */
  offset: string;
  port: number;
  baseImage: string;
  libs: LibRef[];
  /** Services that COPY shared libs build from the workspace root, with <projectRoot>/Dockerfile.dockerignore. */
  contextIsWorkspaceRoot: boolean;
  skipFormat: boolean;
}

const fail = (message: string): never => {
  throw new Error(message);
};

export function normalizeOptions(tree: Tree, schema: AgentServiceGeneratorSchema): NormalizedOptions {
  const name = String(schema.name ?? '').trim();
  const problem = serviceNameProblem(name);
  if (problem) {
    fail(`Invalid service name "${name}": ${problem}. Use for example "${suggestServiceName(name)}".`);
  }

  const template = resolveTemplate(name, schema.template);
  const info = TEMPLATES[template];
  const protocol = resolveProtocol(template, schema.protocol);
  const projectRoot = resolveDirectory(schema.directory, name);
  const worker =
    template === 'langfuse' ? { name: `${name}${LANGFUSE_WORKER.suffix}`, root: `${projectRoot}/${LANGFUSE_WORKER.folder}` } : undefined;
  if (worker && serviceNameProblem(worker.name)) {
    fail(`Invalid service name "${name}": its worker project "${worker.name}" ${serviceNameProblem(worker.name)}. Choose a shorter name.`);
  }

  const projects = getProjects(tree);
  for (const project of [name, ...(worker ? [worker.name] : [])]) {
    const existing = projects.get(project);
    if (existing) {
      fail(`Project "${project}" already exists (at ${existing.root}); nothing was written. Choose another name.`);
    }
  }
  if (tree.exists(projectRoot)) {
    fail(`Directory "${projectRoot}" already exists; nothing was written. Choose another name or --directory.`);
  }

  const defaultPort = serviceContract(template, protocol).port;
  const port = schema.port ?? defaultPort;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fail(`Invalid --port=${String(schema.port)}: use an integer from 1 to 65535 (default for ${template}: ${defaultPort}).`);
  }

  const baseImage = (schema.baseImage ?? info.baseImage).trim();
  if (!baseImage || /\s/.test(baseImage)) {
    fail(`Invalid --baseImage="${schema.baseImage}": give an image reference such as ${info.baseImage}.`);
  }

  const offset = offsetFromRoot(projectRoot);
  const libs = resolveLibs(tree, schema.libs, template, info).map((lib) => ({
    name: lib,
    root: joinPathFragments(LIBS_DIR, lib),
    fromService: `${offset}${LIBS_DIR}/${lib}`,
  }));

  return {
    name,
    template,
    info,
    protocol,
    contract: serviceContract(template, protocol, port),
    ...(worker ? { worker } : {}),
    projectRoot,
    offset,
    port,
    baseImage,
    libs,
    contextIsWorkspaceRoot: libs.length > 0,
    skipFormat: schema.skipFormat ?? false,
  };
}

function resolveTemplate(name: string, template: string | undefined): TemplateName {
  const valid = TEMPLATE_NAMES.join(', ');
  if (template === undefined || template === '') {
    if (isTemplateName(name)) return name;
    return fail(`No --template given and "${name}" is not a template name. Pass --template=<one of: ${valid}>.`);
  }
  if (!isTemplateName(template)) return fail(`Unknown template "${template}". Valid templates: ${valid}.`);
  return template;
}

function resolveProtocol(template: TemplateName, protocol: string | undefined): Protocol {
  const offered = protocolsOf(template);
  if (protocol === undefined || protocol === '') return offered[0] ?? 'http';
  if (!isProtocol(protocol) || !offered.includes(protocol)) {
    const others = TEMPLATE_NAMES.filter((t) => t !== template && isProtocol(protocol) && protocolsOf(t).includes(protocol));
    const hint = others.length ? ` (--protocol=${protocol} is for ${others.join(', ')})` : '';
    return fail(`Invalid --protocol=${protocol} for the ${template} template: use ${offered.join(' or ')}${hint}.`);
  }
  return protocol;
}

// A folder name that is safe as a path segment everywhere the project root goes: shell commands, Nx globs, Docker.
const DIRECTORY_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function resolveDirectory(directory: string | undefined, name: string): string {
  if (directory === undefined || directory.trim() === '') return `apps/${name}`;
  const normalized = normalizePath(directory.trim()).replace(/^\.\//, '').replace(/\/+$/, '');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized) || normalized.split('/').includes('..') || !normalized) {
    fail(`Invalid --directory="${directory}": give a folder relative to the workspace root, such as apps/${name}.`);
  }
  const bad = normalized.split('/').find((segment) => !DIRECTORY_SEGMENT.test(segment));
  if (bad !== undefined) {
    fail(
      `Invalid --directory="${directory}": folder "${bad}" may only hold letters, digits, ".", "_" and "-" (starting with a ` +
        `letter or digit), so the path is safe in commands and globs; use for example apps/${name}.`,
    );
  }
  return normalized;
}

function resolveLibs(tree: Tree, libs: string[] | undefined, template: TemplateName, info: TemplateInfo): string[] {
  // The CLI may hand over "a,b" as one entry; accept both spellings, then sort so the record is canonical.
  const names = [
    ...new Set(
      (libs ?? [])
        .flatMap((l) => l.split(','))
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ].sort();
  if (names.length === 0) return [];
  if (!info.python) fail(`--libs is for Python services; the ${template} template has no Python app to use them.`);
  const missing = names.filter((lib) => !tree.exists(`${LIBS_DIR}/${lib}/pyproject.toml`));
  if (missing.length > 0) {
    const available = tree.exists(LIBS_DIR) ? tree.children(LIBS_DIR).filter((d) => tree.exists(`${LIBS_DIR}/${d}/pyproject.toml`)) : [];
    fail(
      `Unknown lib(s) in --libs: ${missing.join(', ')}. Each must be a folder under ${LIBS_DIR}/ with a pyproject.toml` +
        ` (available: ${available.length ? available.join(', ') : 'none'}).`,
    );
  }
  return names;
}
