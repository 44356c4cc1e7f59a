// A contract check's container and image through the docker CLI: inspect the image, start, find the published port,
// read state and logs, exec, remove. Exit codes are data; every argv comes from run-args.ts.
import { UserError } from '../errors';
import type { ProcessRunner, RunResult } from '../process';
import {
  dockerImageInspectArgs,
  dockerLogsArgs,
  dockerPortArgs,
  dockerRemoveArgs,
  dockerRunArgs,
  dockerStateArgs,
  type DockerRunInput,
} from './run-args';

/** What `docker image inspect` says about an image, as far as a contract check cares. */
export interface ImageFacts {
  os: string;
  architecture: string;
  variant?: string;
  /** Config.User as written by USER: "" (root), "0", "root", "10001:10001", "agent"… */
  user: string;
  /** Uncompressed size in the engine's store. */
  sizeBytes: number;
}

export interface ContainerState {
  status: string;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  error: string;
}

interface InspectJson {
  Os?: string;
  Architecture?: string;
  Variant?: string;
  Size?: number;
  Config?: { User?: string };
}

/** The image's facts, or undefined when the engine does not hold it. */
export async function inspectImage(run: ProcessRunner, image: string): Promise<ImageFacts | undefined> {
  const result = await run('docker', dockerImageInspectArgs(image));
  if (result.exitCode !== 0) {
    if (/no such (image|object)/i.test(result.stderr)) return undefined;
    throw new UserError(`docker image inspect ${image} failed (exit ${result.exitCode}): ${firstLine(result.stderr)}.`);
  }
  const json = JSON.parse(result.stdout) as InspectJson;
  return {
    os: json.Os ?? '',
    architecture: json.Architecture ?? '',
    ...(json.Variant ? { variant: json.Variant } : {}),
    user: json.Config?.User ?? '',
    sizeBytes: json.Size ?? 0,
  };
}

/** One container, addressed by the unique name it was started with. */
export class CheckContainer {
  constructor(
    private readonly run: ProcessRunner,
    readonly name: string,
  ) {}

  /** `docker run -d`; a refusal (unknown platform, engine error) is one line with docker's own reason. */
  async start(input: Omit<DockerRunInput, 'name'>): Promise<void> {
    const result = await this.run('docker', dockerRunArgs({ ...input, name: this.name }));
    if (result.exitCode !== 0 && !result.canceled) {
      throw new UserError(`docker run ${input.image} failed (exit ${result.exitCode}): ${firstLine(result.stderr)}.`);
    }
  }

  /** The host port the engine published `containerPort` on (127.0.0.1:<port>). */
  async publishedPort(containerPort: number): Promise<number> {
    const result = await this.run('docker', dockerPortArgs(this.name, containerPort));
    const port = Number(
      result.stdout
        .trim()
        .split('\n')[0]
        ?.match(/:(\d+)$/)?.[1],
    );
    if (result.exitCode !== 0 || !Number.isInteger(port)) {
      throw new UserError(
        `docker port ${this.name} ${containerPort}/tcp gave no port: ${firstLine(result.stderr) || result.stdout.trim()}.`,
      );
    }
    return port;
  }

  /** Undefined when the container is gone. */
  async state(): Promise<ContainerState | undefined> {
    const result = await this.run('docker', dockerStateArgs(this.name));
    if (result.exitCode !== 0) return undefined;
    const s = JSON.parse(result.stdout) as { Status?: string; Running?: boolean; ExitCode?: number; OOMKilled?: boolean; Error?: string };
    return {
      status: s.Status ?? '',
      running: s.Running === true,
      exitCode: s.ExitCode ?? 0,
      oomKilled: s.OOMKilled === true,
      error: s.Error ?? '',
    };
  }

  /** The last lines the container wrote (stdout and stderr), for a failure's context. */
  async logs(tail = 20): Promise<string[]> {
    const result = await this.run('docker', dockerLogsArgs(this.name, tail));
    return `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
  }

  exec(argv: string[]): Promise<RunResult> {
    return this.run('docker', ['exec', this.name, ...argv]);
  }

  /** Removes the container whatever its state; a container that never came to be is not an error. */
  async remove(): Promise<void> {
    const result = await this.run('docker', dockerRemoveArgs(this.name));
    if (result.exitCode !== 0 && !/no such container/i.test(result.stderr)) {
      throw new UserError(
        `Could not remove container ${this.name}: ${firstLine(result.stderr)}; remove it with docker rm -f ${this.name}.`,
      );
    }
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}
