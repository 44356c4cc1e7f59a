// Shared pieces of the pipeline suite: the scratch workspace with generated services, Nx runs against local-ecr
// with the docker shim, records, local-ecr counters and DescribeImages. Everything that reaches local-ecr runs
// asynchronously, because local-ecr serves from the test process itself.
import { DescribeImagesCommand, type ImageDetail } from '@aws-sdk/client-ecr';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildRecord } from 'nx-agent-ecr/src/lib/records/build-record';
import type { EcrPushRecord } from 'nx-agent-ecr/src/lib/records/ecr-push-record';
import { sh } from '../support/docker';
import { ecrClientFor, type LocalEcr } from '../support/local-ecr';
import { expectSuccess, runAsync, ScratchWorkspace, type Ran } from '../support/scratch-workspace';
import { pythonBase } from '../support/toolchain';
import { DockerShim } from './docker-shim';

export type { BuildRecord, EcrPushRecord };

/** What the generator engineer documents for a build without PyPI (docs/generators/agent-service.md). */
export const OFFLINE_BUILD_ARGS = { OFFLINE: 'true' };

export class Pipeline {
  readonly ws: ScratchWorkspace;
  readonly shim: DockerShim;
  private readonly scratch = mkdtempSync(join(tmpdir(), 'pipeline-shim-'));

  constructor(private readonly ecr: () => LocalEcr) {
    this.ws = ScratchWorkspace.create('pipeline');
    this.shim = new DockerShim(this.scratch);
  }

  /** Runs `nx <args>` in the copy against local-ecr; never with the developer's AWS profile or endpoints. */
  nx(args: string[], options: { expireTokensBeforeFirstPush?: boolean; env?: Record<string, string | undefined> } = {}): Promise<Ran> {
    const ecr = this.ecr();
    const expireUrl = options.expireTokensBeforeFirstPush ? `${ecr.endpoint}/_local-ecr/expire-tokens` : undefined;
    // Streamed task output, so a failure (and the re-login in step 6) shows in the captured log.
    const style = ['run-many', 'affected', 'run'].includes(args[0] ?? '') ? ['--outputStyle=stream'] : [];
    return this.ws.nx([...args, ...style], {
      ...ecr.env,
      NO_COLOR: '1',
      ...this.shim.env(expireUrl, ecr.adminSecret),
      PROJECT_NAME: 'e2e',
      AWS_PROFILE: undefined,
      AWS_DEFAULT_PROFILE: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_ENDPOINT_URL_ECR: undefined,
      AWS_ENDPOINT_URL_STS: undefined,
      ...options.env,
    });
  }

  async mustNx(
    args: string[],
    options: { expireTokensBeforeFirstPush?: boolean; env?: Record<string, string | undefined> } = {},
  ): Promise<Ran> {
    return expectSuccess(await this.nx(args, options), `nx ${args.join(' ')}`);
  }

  /** Generates a service (aws-agent-core by default) on the local registry's Python base, built with the offline args. */
  async generate(name: string, template = 'aws-agent-core'): Promise<void> {
    await this.mustNx(['g', 'agent-service', name, `--template=${template}`, `--baseImage=${pythonBase}`, '--no-interactive']);
    const projectFile = `apps/${name}/project.json`;
    const project = this.ws.readJson<{ targets: Record<string, { options?: Record<string, unknown> }> }>(projectFile);
    const build = project.targets['docker-build']!;
    build.options = { ...build.options, buildArgs: OFFLINE_BUILD_ARGS };
    this.ws.write(projectFile, `${JSON.stringify(project, null, 2)}\n`);
  }

  buildRecord(name: string): BuildRecord | undefined {
    const rel = `dist/images/apps/${name}/build.json`;
    return this.ws.exists(rel) ? this.ws.readJson<BuildRecord>(rel) : undefined;
  }

  pushRecord(name: string): EcrPushRecord | undefined {
    const rel = `dist/images/apps/${name}/ecr-push.json`;
    return this.ws.exists(rel) ? this.ws.readJson<EcrPushRecord>(rel) : undefined;
  }

  clearRecords(): void {
    rmSync(this.ws.path('dist', 'images'), { recursive: true, force: true });
  }

  /** Blob uploads and bytes that reached a repository since the last reset (0 when it saw nothing). */
  async uploads(repository: string): Promise<{ blobUploads: number; bytesReceived: number }> {
    const stats = (await this.ecr().stats()).repositories[repository];
    return { blobUploads: stats?.blobUploads ?? 0, bytesReceived: stats?.bytesReceived ?? 0 };
  }

  async describe(repositoryName: string, imageTag: string): Promise<ImageDetail> {
    const answer = await ecrClientFor(this.ecr()).send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag }] }));
    const detail = answer.imageDetails?.[0];
    if (!detail) throw new Error(`DescribeImages found no ${repositoryName}:${imageTag}`);
    return detail;
  }

  /** Removes every local image of a service: its own tags and the registry references ecr-push added. */
  removeLocalImages(name: string, repositoryUri?: string): void {
    const refs = [name, ...(repositoryUri ? [repositoryUri] : [])];
    const ids = new Set(refs.flatMap((ref) => sh('docker', ['image', 'ls', '-q', '--no-trunc', ref]).stdout.split('\n').filter(Boolean)));
    if (ids.size > 0) sh('docker', ['image', 'rm', '-f', ...ids]);
  }

  localImageCount(ref: string): number {
    return sh('docker', ['image', 'ls', '-q', ref]).stdout.split('\n').filter(Boolean).length;
  }

  /** docker with a throw-away DOCKER_CONFIG (async: the daemon talks to local-ecr in this process). */
  docker(args: string[], dockerConfig: string, input?: string): Promise<Ran> {
    if (input !== undefined) {
      return runAsync('bash', ['-c', 'printf %s "$INPUT" | docker "$@"', 'docker', ...args], {
        cwd: this.ws.root,
        env: { DOCKER_CONFIG: dockerConfig, INPUT: input },
      });
    }
    return runAsync('docker', args, { cwd: this.ws.root, env: { DOCKER_CONFIG: dockerConfig } });
  }

  dispose(): void {
    this.ws.remove();
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** Polls a URL until it answers 2xx or the deadline passes (python under QEMU takes seconds to start). */
export async function waitForHttp(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return response;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s (last: ${last})`);
}
