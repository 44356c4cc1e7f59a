// `nx g agent-service <name>`: writes apps/<name> (Dockerfile, .dockerignore, app, tests, README, deploy file,
// project.json), the nx.json defaults it relies on and the workspace's Renovate config. Validates everything first,
// so a refusal writes nothing.
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
import { IMAGE_PINS, requirementLine } from './pins';
import { buildProjectConfiguration, buildWorkerConfiguration } from './project-config';
import { writeRenovateConfig } from './renovate';
import { type AgentServiceGeneratorSchema } from './schema';
import { protocolsOf } from './templates';

const FILES = join(__dirname, 'files');
/** Python templates share their packaging, entry point and contract tests; each adds its own app on top. */
const SHARED_PYTHON = '_python';
/** The shared lib whose helpers a generated app's contract module delegates to when the service uses it. */
export const AGENT_COMMON = 'agent-common';

export async function agentServiceGenerator(tree: Tree, schema: AgentServiceGeneratorSchema): Promise<GeneratorCallback> {
  const options = normalizeOptions(tree, schema);

  const substitutions = templateVariables(options);
  for (const folder of templateFolders(options)) generateFiles(tree, join(FILES, folder), options.projectRoot, substitutions);
  if (!options.contextIsWorkspaceRoot) tree.delete(`${options.projectRoot}/Dockerfile.dockerignore`);
  writeDeployFiles(tree, options);

  addProjectConfiguration(tree, options.name, buildProjectConfiguration(options));
  if (options.worker) addProjectConfiguration(tree, options.worker.name, buildWorkerConfiguration(options, options.worker));
  updateNxJson(tree, withAgentServiceDefaults(readNxJson(tree) ?? {}));
  writeRenovateConfig(tree);

  if (!options.skipFormat) await formatFiles(tree);
  return () => undefined;
}

/** Shared Python packaging first, then the template, then (templates with several protocols) the protocol's app. */
function templateFolders(o: NormalizedOptions): string[] {
  return [
    ...(o.info.python ? [SHARED_PYTHON] : []),
    o.template,
    ...(protocolsOf(o.template).length > 1 ? [`${o.template}-${o.protocol}`] : []),
  ];
}

function templateVariables(o: NormalizedOptions): Record<string, unknown> {
  return {
    ...o,
    description: o.info.description,
    healthPath: o.contract.healthPath,
    requirements: (o.info.packages[o.protocol] ?? []).map(requirementLine),
    workerName: o.worker?.name ?? '',
    workerImage: IMAGE_PINS.langfuseWorker,
    // Paths as the Dockerfile sees them: from the workspace root when libs are COPYed, else from the service folder.
    contextPrefix: o.contextIsWorkspaceRoot ? `${o.projectRoot}/` : '',
    usesAgentCommon: o.libs.some((l) => l.name === AGENT_COMMON),
    pythonPath: ['src', ...o.libs.map((l) => `${l.fromService}/src`)].join(' '),
    tmpl: '',
  };
}

export default agentServiceGenerator;
