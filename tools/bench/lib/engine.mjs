// Docker engine state for the benchmark: the CI-runner reset between runs, image sizes, a throw-away docker login.
import { execFileSync, spawnSync } from 'node:child_process';
import process from 'node:process';

export const sh = (file, args, options = {}) =>
  execFileSync(file, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...options });
export const docker = (...args) => sh('docker', args);

/** True when the engine answers (tools/toolchain/setup.sh brings it up). */
export const engineUp = () => spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;

/** Bytes of a local image as `docker image inspect` reports them (uncompressed). */
export const imageSize = (ref) => Number(docker('image', 'inspect', '-f', '{{.Size}}', ref).trim());

/**
 * Makes the engine look like a CI runner's before a run: no image of the benchmark's services (local names, the
 * local-ecr registry's refs, and dangling images created since `sinceMs`) and an empty build cache. The base image
 * stays pulled ("warm base"). The engine is shared: images of other work are left alone.
 */
export function resetEngine({ serviceNames, registryHost, sinceMs }) {
  removeBenchImages({ serviceNames, registryHost, sinceMs });
  pruneBuildCache();
}

/** Removes the images of the benchmark's services and the dangling images made since `sinceMs`; nothing else. */
export function removeBenchImages({ serviceNames, registryHost, sinceMs }) {
  const names = new Set(serviceNames);
  const refs = docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}')
    .split('\n')
    .filter((ref) => ref && (names.has(ref.slice(0, ref.lastIndexOf(':'))) || ref.startsWith(`${registryHost}/`)));
  if (refs.length) spawnSync('docker', ['image', 'rm', '-f', ...refs], { stdio: 'ignore' });
  const dangling = docker('image', 'ls', '-q', '--no-trunc', '--filter', 'dangling=true').split('\n').filter(Boolean);
  const created = dangling.length ? docker('image', 'inspect', '-f', '{{.Id}} {{.Created}}', ...dangling).split('\n') : [];
  const ours = created
    .map((l) => l.split(' '))
    .filter(([id, at]) => id && Date.parse(at) >= sinceMs)
    .map(([id]) => id);
  if (ours.length) spawnSync('docker', ['image', 'rm', ...ours], { stdio: 'ignore' });
}

/** `docker builder prune -af`, retried: on a shared engine BuildKit sometimes drops the connection (EOF). */
function pruneBuildCache(attempts = 4) {
  for (let i = 1; ; i++) {
    const r = spawnSync('docker', ['builder', 'prune', '-af'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status === 0) return;
    if (i >= attempts) throw new Error(`docker builder prune -af failed ${attempts} times: ${r.stderr.trim()}`);
    spawnSync('sleep', [String(5 * i)]);
  }
}

/** `aws ecr get-login-password | docker login` into `dockerConfig` (never ~/.docker), as a user would. */
export function dockerLogin(env, registryHost, dockerConfig) {
  const password = sh('aws', ['ecr', 'get-login-password'], { env: { ...process.env, ...env } });
  sh('docker', ['login', '--username', 'AWS', '--password-stdin', registryHost], {
    input: password,
    env: { ...process.env, DOCKER_CONFIG: dockerConfig },
  });
}
