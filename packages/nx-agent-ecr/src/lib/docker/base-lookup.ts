// The base-image digest lookup the executors use: registry manifests with Docker's own credentials and, for a
// registry that asks for Basic auth and is the executor's ECR registry, the executor's login session (the same token
// its push uses). One answer per reference and platform per process: the run scope keeps the cache.
import type { RegistryAuth } from '../ecr/registry-login';
import type { ProcessRunner } from '../process';
import { formatImageRef } from './image-ref';
import { dockerConfigCredentials } from './registry-credentials';
import { manifestDigest } from './registry-manifests';
import type { DigestLookup } from './resolve-bases';

export interface BaseLookupDeps {
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
  /** The run scope's answers, shared by its tasks; a failed lookup is not kept. */
  cache: Map<string, Promise<string>>;
  /** The executor's ECR login, when it has an AWS target. */
  session?: () => Promise<RegistryAuth>;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export function baseDigestLookup(deps: BaseLookupDeps): DigestLookup {
  const fromDockerConfig = dockerConfigCredentials(deps.run, deps.env);
  const credentials = async (registry: string, scheme: string) => {
    if (scheme === 'basic' && deps.session) {
      const auth = await deps.session().catch(() => undefined);
      if (auth?.registryHost === registry) return auth.token;
    }
    return fromDockerConfig(registry);
  };
  return (ref, platform) => {
    const key = `${formatImageRef(ref)} ${platform}`;
    let answer = deps.cache.get(key);
    if (!answer) {
      answer = manifestDigest(ref, platform, { credentials, fetch: deps.fetch, signal: deps.signal });
      deps.cache.set(key, answer);
      answer.catch(() => deps.cache.delete(key));
    }
    return answer;
  };
}
