// The workspace-wide settings a generated service relies on, added to nx.json idempotently: a second run, or a
// user's own customisation of any of these keys, is left exactly as it is.
import { type NxJsonConfiguration, type TargetConfiguration } from '@nx/devkit';
import { BUILD_RECORD, JUNIT_OUTPUT } from './project-config';

export const PLUGIN_NAME = 'nx-agent-ecr';

/** Everything of a project that can reach its image: for a service its build files and src, for a lib its package. */
export const DOCKER_CONTEXT_INPUT = [
  '{projectRoot}/Dockerfile',
  '{projectRoot}/.dockerignore',
  '{projectRoot}/Dockerfile.dockerignore',
  '{projectRoot}/requirements*.txt',
  '{projectRoot}/pyproject.toml',
  '{projectRoot}/src/**/*',
];

// No inputs here on purpose: targetDefaults beat the plugin's inferred inputs, which are exact for hand-written
// projects too. Generated projects name their inputs in project.json.
export const TARGET_DEFAULTS: Record<string, Partial<TargetConfiguration>> = {
  'docker-build': { cache: false, outputs: [BUILD_RECORD] },
  'ecr-push': { cache: false, dependsOn: ['docker-build'] },
  deploy: { cache: false, dependsOn: ['ecr-push'] },
  test: { cache: true, outputs: [JUNIT_OUTPUT] },
};

/** Returns nx.json with the named input, target defaults and plugin registration present; adds only what is missing. */
export function withAgentServiceDefaults(nxJson: NxJsonConfiguration): NxJsonConfiguration {
  const namedInputs = { ...(nxJson.namedInputs ?? {}) };
  namedInputs.dockerContext ??= DOCKER_CONTEXT_INPUT;

  const targetDefaults = { ...(nxJson.targetDefaults ?? {}) };
  for (const [target, defaults] of Object.entries(TARGET_DEFAULTS)) {
    targetDefaults[target] ??= defaults;
  }

  const plugins = [...(nxJson.plugins ?? [])];
  const registered = plugins.some((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  if (!registered) plugins.push(PLUGIN_NAME);

  return { ...nxJson, namedInputs, targetDefaults, plugins };
}
