// One local-ecr per suite: a temporary state directory, a free port, the env for clients, cleanup in afterAll; the
// fault hooks and scan findings ride on the instance: `await localEcr().faults.add({ operation: 'PutImage', nth: 2,
// error: 'ServerException' })`, `faults.clear()`, `scans.set({ repository, severityCounts: { HIGH: 1 } })`.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECRClient, GetAuthorizationTokenCommand, type ECRClientConfig } from '@aws-sdk/client-ecr';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { startLocalEcr, type LocalEcr, type LocalEcrOptions } from 'local-ecr';
import { sh } from './docker';

export type { LocalEcr, Fault, FaultSpec, ScanSettingInput } from 'local-ecr';

/** Starts local-ecr on a free loopback port over a fresh temporary state directory (removed by stop()). */
export async function startTestLocalEcr(options: Omit<LocalEcrOptions, 'port'> & { port?: number } = {}): Promise<LocalEcr> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'local-ecr-'));
  const ecr = await startLocalEcr({ port: 0, ...options, stateDir });
  const stop = ecr.stop;
  return {
    ...ecr,
    stop: async () => {
      await stop();
      if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers beforeAll/afterAll for a suite and returns a getter for the running instance:
 *   const localEcr = useLocalEcr();  …  localEcr().env
 */
export function useLocalEcr(options: Omit<LocalEcrOptions, 'port' | 'stateDir'> = {}): () => LocalEcr {
  let ecr: LocalEcr | undefined;
  beforeAll(async () => {
    ecr = await startTestLocalEcr(options);
  });
  afterAll(async () => {
    await ecr?.stop();
  });
  return () => {
    if (!ecr) throw new Error('local-ecr is not running: call useLocalEcr() at the top of a describe block.');
    return ecr;
  };
}

const clientConfig = (ecr: LocalEcr) => ({
  endpoint: ecr.endpoint,
  region: ecr.region,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

/** An SDK client for local-ecr; `config` overrides (maxAttempts, requestHandler) for the fault suites. */
export const ecrClientFor = (ecr: LocalEcr, config: ECRClientConfig = {}) => new ECRClient({ ...clientConfig(ecr), ...config });
export const stsClientFor = (ecr: LocalEcr, config: STSClientConfig = {}) => new STSClient({ ...clientConfig(ecr), ...config });

/** Logs docker in to local-ecr the way users do with ECR, into a throwaway DOCKER_CONFIG (never ~/.docker). */
export function dockerLoginTo(ecr: LocalEcr, dockerConfig: string): void {
  const password = sh('aws', ['ecr', 'get-login-password'], { env: { ...process.env, ...ecr.env } });
  if (password.status !== 0) throw new Error(`aws ecr get-login-password failed: ${password.stderr}`);
  const login = sh('docker', ['login', '--username', 'AWS', '--password-stdin', ecr.registryHost], {
    input: password.stdout,
    env: { ...process.env, DOCKER_CONFIG: dockerConfig },
  });
  if (login.status !== 0) throw new Error(`docker login ${ecr.registryHost} failed: ${login.stderr}`);
}

export interface TinyImage {
  digest: string;
  manifest: string;
  mediaType: string;
  /** config + layer bytes, what ECR reports as imageSizeInBytes. */
  sizeInBytes: number;
}

async function registryFetch(ecr: LocalEcr, password: string, path: string, init: RequestInit = {}): Promise<Response> {
  const auth = Buffer.from(`AWS:${password}`).toString('base64');
  const response = await fetch(path.startsWith('http') ? path : `${ecr.endpoint}${path}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Basic ${auth}` },
  });
  return response;
}

async function uploadBlob(ecr: LocalEcr, password: string, repository: string, bytes: Buffer): Promise<string> {
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const start = await registryFetch(ecr, password, `/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`starting a blob upload to ${repository} answered ${start.status}: ${await start.text()}`);
  const location = new URL(start.headers.get('location') ?? '', ecr.endpoint);
  location.searchParams.set('digest', digest);
  const put = await registryFetch(ecr, password, location.toString(), {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  if (put.status !== 201) throw new Error(`uploading a blob to ${repository} answered ${put.status}: ${await put.text()}`);
  return digest;
}

/** The password GetAuthorizationToken hands out right now (what `aws ecr get-login-password` prints). */
export async function registryPassword(ecr: LocalEcr): Promise<string> {
  const token = await ecrClientFor(ecr).send(new GetAuthorizationTokenCommand({}));
  return Buffer.from(token.authorizationData?.[0]?.authorizationToken ?? '', 'base64')
    .toString('utf8')
    .replace(/^AWS:/, '');
}

/** The registry's own tag list of a repository (GET /v2/<name>/tags/list), to compare with DescribeImages. */
export async function registryTags(ecr: LocalEcr, repository: string): Promise<string[]> {
  const response = await registryFetch(ecr, await registryPassword(ecr), `/v2/${repository}/tags/list`);
  if (response.status !== 200) throw new Error(`tags/list of ${repository} answered ${response.status}: ${await response.text()}`);
  return (((await response.json()) as { tags: string[] | null }).tags ?? []).sort();
}

/**
 * Pushes a minimal OCI image (a config and one small layer, unique per `seed`) through the registry API with the
 * credentials GetAuthorizationToken hands out; tag it or not. Faster than a docker push when only bookkeeping matters.
 */
export async function pushTinyImage(ecr: LocalEcr, repository: string, tag: string | undefined, seed: string): Promise<TinyImage> {
  const password = await registryPassword(ecr);
  const layer = Buffer.from(`tiny layer ${seed}\n`);
  const config = Buffer.from(JSON.stringify({ architecture: 'arm64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, seed }));
  const configDigest = await uploadBlob(ecr, password, repository, config);
  const layerDigest = await uploadBlob(ecr, password, repository, layer);
  const mediaType = 'application/vnd.oci.image.manifest.v1+json';
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
  });
  const put = await registryFetch(
    ecr,
    password,
    `/v2/${repository}/manifests/${tag ?? `sha256:${createHash('sha256').update(manifest).digest('hex')}`}`,
    {
      method: 'PUT',
      headers: { 'content-type': mediaType },
      body: manifest,
    },
  );
  if (put.status !== 201) throw new Error(`putting the manifest of ${repository} answered ${put.status}: ${await put.text()}`);
  return { digest: put.headers.get('docker-content-digest') ?? '', manifest, mediaType, sizeInBytes: config.length + layer.length };
}
