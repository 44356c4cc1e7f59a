// Credentials for a registry as Docker would use them: the `auths` of the Docker config, or its credential helpers
// (credHelpers, credsStore) asked through the process runner. Never logged; only ever sent to that registry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessRunner } from '../process';
import { userDockerConfigDir } from '../ecr/registry-login';

interface DockerConfig {
  auths?: Record<string, { auth?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** The keys Docker files a registry's credentials under (Docker Hub has its historical URL). */
function keysOf(registry: string): string[] {
  if (registry === 'docker.io') return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  return [registry, `https://${registry}`, `http://${registry}`];
}

/** base64 `user:secret` for a registry from the user's Docker config, or undefined. */
export function dockerConfigCredentials(run: ProcessRunner, env: NodeJS.ProcessEnv): (registry: string) => Promise<string | undefined> {
  let config: DockerConfig | undefined;
  const read = (): DockerConfig => {
    if (config) return config;
    try {
      config = JSON.parse(readFileSync(join(userDockerConfigDir(env), 'config.json'), 'utf8')) as DockerConfig;
    } catch {
      config = {};
    }
    return config;
  };
  return async (registry) => {
    const c = read();
    for (const key of keysOf(registry)) {
      const auth = c.auths?.[key]?.auth;
      if (auth) return auth;
    }
    const key = keysOf(registry).find((k) => c.credHelpers?.[k]);
    const helper = (key && c.credHelpers?.[key]) || c.credsStore;
    if (!helper) return undefined;
    const result = await run(`docker-credential-${helper}`, ['get'], { input: key ?? keysOf(registry)[0] }).catch(() => undefined);
    if (result?.exitCode !== 0) return undefined;
    try {
      const { Username, Secret } = JSON.parse(result.stdout) as { Username?: string; Secret?: string };
      return Username && Secret ? Buffer.from(`${Username}:${Secret}`).toString('base64') : undefined;
    } catch {
      return undefined;
    }
  };
}
