// The commit an image in ECR was built from: its org.opencontainers.image.revision label, read from the image config
// (BatchGetImage for the manifest, the registry API for the config blob). Used to keep `latest` moving forward.
import type { EcrPort } from '../aws/clients';
import { getManifest } from './images';
import { registryRequest, type RegistryHttp } from './registry-http';

export const REVISION_LABEL = 'org.opencontainers.image.revision';

interface Manifest {
  config?: { digest?: string };
  manifests?: { digest?: string; platform?: { os?: string; architecture?: string } }[];
}

/** The label's value, or undefined when the image has none (or its config cannot be read as JSON). */
export async function imageRevision(ecr: EcrPort, http: RegistryHttp, repositoryName: string, digest: string): Promise<string | undefined> {
  let manifest = JSON.parse((await getManifest(ecr, repositoryName, digest)).manifest) as Manifest;
  if (manifest.manifests) {
    // An index: the first image manifest (attestations carry platform unknown/unknown).
    const child = manifest.manifests.find((m) => m.digest && m.platform?.os !== 'unknown');
    if (!child?.digest) return undefined;
    manifest = JSON.parse((await getManifest(ecr, repositoryName, child.digest)).manifest) as Manifest;
  }
  const config = manifest.config?.digest;
  if (!config) return undefined;
  const response = await registryRequest(http, 'GET', `/v2/${repositoryName}/blobs/${config}`);
  if (!response.ok) {
    await response.arrayBuffer().catch(() => undefined);
    return undefined;
  }
  const parsed = (await response.json().catch(() => ({}))) as { config?: { Labels?: Record<string, string> } };
  return parsed.config?.Labels?.[REVISION_LABEL] || undefined;
}
