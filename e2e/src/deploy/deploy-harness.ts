// A scratch copy of this workspace whose services look built and pushed (build.json and ecr-push.json at HEAD, as
// docker-build and ecr-push write them, and the image in moto's ECR, scanned), and `nx run <service>:deploy` against
// moto for ECR (the deploys' scan gate), ECS, AgentCore and STS.
import { CreateRepositoryCommand, ECRClient, PutImageCommand, StartImageScanCommand, type ImageScanFindings } from '@aws-sdk/client-ecr';
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

  /**
   * Records a build and a successful push of `seed`'s image for the project at apps/`app` at HEAD, and puts the image
   * in moto's ECR, scanned: moto's findings are one HIGH unless `scanFindings` says otherwise.
   */
  async pushed(app: string, seed: string, overrides: Record<string, unknown> = {}): Promise<{ digest: string; imageRef: string }> {
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
      platforms: ['linux/arm64'],
      ...overrides,
    });
    await this.inEcr(repositoryName, digest, contentTag);
    return { digest, imageRef: `${repositoryUri}@${digest}` };
  }

  /** What moto's DescribeImageScanFindings answers next for `digest` (its static-results API). */
  async scanFindings(repositoryName: string, digest: string, findings: ImageScanFindings): Promise<void> {
    const response = await fetch(`${this.moto().endpoint}/moto-api/static/ecr/scan-finding-results`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        region: 'us-east-1',
        results: [
          {
            registryId: REGISTRY.split('.')[0],
            repositoryName,
            imageId: { imageDigest: digest },
            imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
            imageScanFindings: findings,
          },
        ],
      }),
    });
    if (!response.ok) throw new Error(`moto's scan-finding-results API answered ${response.status}: ${await response.text()}`);
  }

  /** The pushed image in moto's ECR by its digest, with a scan started (moto answers ScanNotFound before one). */
  private async inEcr(repositoryName: string, digest: string, tag: string): Promise<void> {
    const ecr = new ECRClient({
      endpoint: this.moto().endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    try {
      await ecr.send(new CreateRepositoryCommand({ repositoryName })).catch((error: Error) => {
        if (error.name !== 'RepositoryAlreadyExistsException') throw error;
      });
      // One manifest per digest: moto files a manifest it already holds under that image, whatever digest is given.
      const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest, size: 0 };
      const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [] });
      await ecr
        .send(new PutImageCommand({ repositoryName, imageManifest: manifest, imageDigest: digest, imageTag: tag }))
        .catch((error: Error) => {
          if (error.name !== 'ImageAlreadyExistsException') throw error;
        });
      // An image put again (the same seed) was scanned already today: ECR's quota says so, as moto does.
      await ecr.send(new StartImageScanCommand({ repositoryName, imageId: { imageDigest: digest } })).catch((error: Error) => {
        if (error.name !== 'LimitExceededException') throw error;
      });
    } finally {
      ecr.destroy();
    }
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
      AWS_ENDPOINT_URL_ECR: this.moto().endpoint,
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
