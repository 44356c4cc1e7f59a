// The workspace-wide settings a generated service relies on, added to nx.json idempotently: a second run, or a
// user's own customisation of any of these keys, is left exactly as it is.
import { type NxJsonConfiguration, type TargetConfiguration } from '@nx/devkit';
import { PLUGIN_NAME } from '../../lib/records/names';
import { BUILD_RECORD, JUNIT_OUTPUT } from './project-config';

// No inputs here on purpose: targetDefaults beat the plugin's inferred inputs, which are the one owner of what an
// image target's inputs are (generated and hand-written projects alike).
export const TARGET_DEFAULTS: Record<string, Partial<TargetConfiguration>> = {
  'docker-build': { cache: false, outputs: [BUILD_RECORD] },
  'ecr-push': { cache: false },
  deploy: { cache: false, dependsOn: ['ecr-push'] },
  test: { cache: true, outputs: [JUNIT_OUTPUT] },
};

/** Returns nx.json with the target defaults and the plugin registration present; adds only what is missing. */
export function withAgentServiceDefaults(nxJson: NxJsonConfiguration): NxJsonConfiguration {
  const targetDefaults = { ...(nxJson.targetDefaults ?? {}) };
  for (const [target, defaults] of Object.entries(TARGET_DEFAULTS)) {
    targetDefaults[target] ??= defaults;
  }

  const plugins = [...(nxJson.plugins ?? [])];
  const registered = plugins.some((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  if (!registered) plugins.push(PLUGIN_NAME);

  return { ...nxJson, targetDefaults, plugins };
}
