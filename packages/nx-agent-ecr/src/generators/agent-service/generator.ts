// `nx g agent-service <name>`: writes apps/<name> (Dockerfile, .dockerignore, app, tests, README, deploy file,
// project.json) and the nx.json defaults it relies on. Validates everything first, so a refusal writes nothing.
import {
  addProjectConfiguration,
  formatFiles,
  generateFiles,
  readNxJson,
  updateNxJson,
  type GeneratorCallback,
  type Tree,
} from '@nx/devkit';
import { join } from 'node:path';
import { normalizeOptions, type NormalizedOptions } from './normalize-options';
import { writeDeployFiles } from './deploy-files';
import { withAgentServiceDefaults } from './nx-json';
import { buildProjectConfiguration } from './project-config';
import { type AgentServiceGeneratorSchema } from './schema';

const FILES = join(__dirname, 'files');
/** Python templates share their packaging, entry point and contract tests; each adds its own app on top. */
const SHARED_PYTHON = '_python';
/** The shared lib whose helpers a generated app's contract module delegates to when the service uses it. */
export const AGENT_COMMON = 'agent-common';

export async function agentServiceGenerator(tree: Tree, schema: AgentServiceGeneratorSchema): Promise<GeneratorCallback> {
  const options = normalizeOptions(tree, schema);

  const substitutions = templateVariables(options);
  if (options.info.python) generateFiles(tree, join(FILES, SHARED_PYTHON), options.projectRoot, substitutions);
  generateFiles(tree, join(FILES, options.template), options.projectRoot, substitutions);
  if (!options.contextIsWorkspaceRoot) tree.delete(`${options.projectRoot}/Dockerfile.dockerignore`);
  writeDeployFiles(tree, options);

  addProjectConfiguration(tree, options.name, buildProjectConfiguration(options));
  updateNxJson(tree, withAgentServiceDefaults(readNxJson(tree) ?? {}));

  if (!options.skipFormat) await formatFiles(tree);
  return () => undefined;
}

function templateVariables(o: NormalizedOptions): Record<string, unknown> {
  return {
    ...o,
    description: o.info.description,
    healthPath: o.info.healthPath,
    invokePath: o.info.invokePath ?? '',
    // Paths as the Dockerfile sees them: from the workspace root when libs are COPYed, else from the service folder.
    contextPrefix: o.contextIsWorkspaceRoot ? `${o.projectRoot}/` : '',
    usesAgentCommon: o.libs.some((l) => l.name === AGENT_COMMON),
    pythonPath: ['src', ...o.libs.map((l) => `${l.fromService}/src`)].join(' '),
    tmpl: '',
  };
}

export default agentServiceGenerator;
