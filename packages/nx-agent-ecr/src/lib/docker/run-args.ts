// The `docker` argument lists of a contract check's container: pure functions of what to run, like buildx-args.ts.

export interface DockerRunInput {
  image: string;
  platform: string;
  /** Unique per check, so the container can be removed by name even when `docker run` failed half-way. */
  name: string;
  /** The container port to publish on an ephemeral port of the loopback interface (nothing else can reach it). */
  containerPort: number;
  /** Plain values only: argv is visible to every local user, so secrets never come here. */
  env: Record<string, string>;
  labels: Record<string, string>;
}

/**
 * `docker run` detached, never pulling (the check is about the image that was built, not whatever a registry has
 * under that name), for the requested platform, publishing the contract's port on 127.0.0.1 with a port the engine
 * picks. No --rm: the container must outlive a crash long enough for its logs to be read; the check removes it.
 */
export function dockerRunArgs(input: DockerRunInput): string[] {
  const args = ['run', '--detach', '--pull', 'never', '--platform', input.platform, '--name', input.name];
  for (const [key, value] of Object.entries(input.labels)) args.push('--label', `${key}=${value}`);
  args.push('--publish', `127.0.0.1::${input.containerPort}`);
  for (const [key, value] of Object.entries(input.env)) args.push('--env', `${key}=${value}`);
  args.push(input.image);
  return args;
}

/** `docker port <name> <port>/tcp`: where the engine published the container port. */
export const dockerPortArgs = (name: string, containerPort: number): string[] => ['port', name, `${containerPort}/tcp`];

/** One JSON line with the container's state, for "is it still running, and how did it end". */
export const dockerStateArgs = (name: string): string[] => ['container', 'inspect', '--format', '{{json .State}}', name];

export const dockerLogsArgs = (name: string, tail: number): string[] => ['logs', '--tail', String(tail), name];

/** Forced removal with its anonymous volumes: a check leaves nothing behind, whatever state the container is in. */
export const dockerRemoveArgs = (name: string): string[] => ['rm', '--force', '--volumes', name];

export const dockerImageInspectArgs = (image: string): string[] => ['image', 'inspect', '--format', '{{json .}}', image];
