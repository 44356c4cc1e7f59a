// A scratch copy of this workspace whose services look built and pushed (build.json and ecr-push.json at HEAD, as
// docker-build and ecr-push write them), and `nx run <service>:deploy` against moto for ECS, AgentCore and STS.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DeployRecord } from 'nx-agent-ecr/src/lib/records/deploy-record';
import type { Moto } from '../support/moto';
import { ScratchWorkspace, type Ran } from '../support/scratch-workspace';

export type { DeployRecord };
export const PROJECT_NAME = 'e2e';
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/e2e-agentcore-runtime';
/** What a deploying job sets: the AgentCore role and the values the templates' {{env.NAME}} ask for. */
export const DEPLOY_VARIABLES = {
  AGENTCORE_ROLE_ARN: ROLE_ARN,
  LANGFUSE_BASE_URL: 'http://langfuse.internal:3000',
  CORTEX_ENDPOINT: 'https://cortex.internal',
};
const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

export class DeployWorkspace {
  readonly ws = ScratchWorkspace.create('deploy');
  private readonly head = this.ws.git('rev-parse', 'HEAD');

  constructor(private readonly moto: () => Moto) {}

  /** Records a build and a successful push of `seed`'s image for the project at apps/`app` at HEAD. */
  pushed(app: string, seed: string, overrides: Record<string, unknown> = {}): { digest: string; imageRef: string } {
    const digest = `sha256:${createHash('sha256').update(seed).digest('hex')}`;
    const contentTag = `content-${createHash('sha256').update(`content ${seed}`).digest('hex').slice(0, 24)}`;
    const repositoryName = String(overrides['repositoryName'] ?? `${PROJECT_NAME}-dev-${app}`);
    const repositoryUri = `${REGISTRY}/${repositoryName}`;
    const builtAt = new Date(Date.now() - 2_000).toISOString();
    this.writeJson(`dist/images/apps/${app}/build.json`, {
      project: app,
      imageName: app,
      localTags: [],
      contentTag,
      platforms: ['linux/arm64'],
      built: true,
      createdAt: builtAt,
    });
    this.writeJson(`dist/images/apps/${app}/ecr-push.json`, {
      project: app,
      repositoryName,
      repositoryUri,
      digest,
      tags: [contentTag, 'latest', this.head.slice(0, 7)],
      imageUris: [`${repositoryUri}@${digest}`],
      sizeBytes: 1,
      pushedAt: builtAt,
      outcome: 'pushed',
      seconds: 1,
      recordedAt: new Date().toISOString(),
      contentTag,
      gitSha: this.head.slice(0, 7),
      ...overrides,
    });
    return { digest, imageRef: `${repositoryUri}@${digest}` };
  }

  /** `nx run <app>:deploy` alone (the push is recorded above), with AWS only at moto. */
  deploy(app: string, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<Ran> {
    return this.ws.nx(['run', `${app}:deploy`, '--excludeTaskDependencies', '--outputStyle=stream', ...args], {
      ...this.moto().env,
      PROJECT_NAME,
      ...DEPLOY_VARIABLES,
      AWS_PROFILE: undefined,
      AWS_DEFAULT_PROFILE: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_ENDPOINT_URL: undefined,
      AWS_ENDPOINT_URL_ECR: undefined,
      ...env,
    });
  }

  record(app: string): DeployRecord {
    return this.ws.readJson<DeployRecord>(`dist/images/apps/${app}/deploy.json`);
  }

  writeJson(rel: string, value: unknown): void {
    mkdirSync(dirname(this.ws.path(rel)), { recursive: true });
    writeFileSync(this.ws.path(rel), `${JSON.stringify(value, null, 2)}\n`);
  }

  dispose(): void {
    this.ws.remove();
  }
}

/** The lines of a run's output that the executor printed as errors (Nx prefixes nothing in stream mode). */
export function output(ran: Ran): string {
  return `${ran.stdout}\n${ran.stderr}`;
}
