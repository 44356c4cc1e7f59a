// Turns the generator's raw options into one NormalizedOptions, refusing bad input with a one-line message
// before anything is written.
import { getProjects, joinPathFragments, normalizePath, offsetFromRoot, type Tree } from '@nx/devkit';
import { type AgentServiceGeneratorSchema } from './schema';
import { serviceNameProblem, suggestServiceName } from './service-name';
import { isTemplateName, TEMPLATE_NAMES, TEMPLATES, type TemplateInfo, type TemplateName } from './templates';

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
  const projectRoot = resolveDirectory(schema.directory, name);

  const existing = getProjects(tree).get(name);
  if (existing) {
    fail(`Project "${name}" already exists (at ${existing.root}); nothing was written. Choose another name.`);
  }
  if (tree.exists(projectRoot)) {
    fail(`Directory "${projectRoot}" already exists; nothing was written. Choose another name or --directory.`);
  }

  const port = schema.port ?? info.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fail(`Invalid --port=${String(schema.port)}: use an integer from 1 to 65535 (default for ${template}: ${info.port}).`);
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

function resolveDirectory(directory: string | undefined, name: string): string {
  if (directory === undefined || directory.trim() === '') return `apps/${name}`;
  const normalized = normalizePath(directory.trim()).replace(/^\.\//, '').replace(/\/+$/, '');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized) || normalized.split('/').includes('..') || !normalized) {
    fail(`Invalid --directory="${directory}": give a folder relative to the workspace root, such as apps/${name}.`);
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
