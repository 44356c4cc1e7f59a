// Promotion without rebuild: copy an image between repositories, preserving its digest. Within one registry blobs
// are mounted across repositories (no data moves) or streamed when the registry refuses the mount; from another
// registry (account or region) they are streamed from its API to ours. The manifest goes in with ECR's PutImage,
// byte for byte, so the promoted digest equals the source digest.
import type { EcrPort } from '../aws/clients';
import { getManifest, putTag } from './images';
import { UserError } from '../errors';
import { registryRequest, type RegistryHttp } from './registry-http';

type Auth = RegistryHttp['auth'];

export interface CopyDeps extends RegistryHttp {
  ecr: EcrPort;
  /** The source's registry when it is another one (account or region): its port, registry id and login. */
  source?: { ecr: EcrPort; registryId?: string; auth: Auth };
}

export interface CopyResult {
  digest: string;
  mountedBlobs: number;
  copiedBlobs: number;
  presentBlobs: number;
  copiedBytes: number;
}

interface Descriptor {
  digest: string;
  size: number;
  mediaType?: string;
}

interface ManifestShape {
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

/** The blobs a single-image manifest references, or the child manifests of an index. */
export function manifestReferences(manifestJson: string): { blobs: Descriptor[]; children: Descriptor[] } {
  const parsed = JSON.parse(manifestJson) as ManifestShape;
  if (parsed.manifests) return { blobs: [], children: parsed.manifests };
  return { blobs: [...(parsed.config ? [parsed.config] : []), ...(parsed.layers ?? [])], children: [] };
}

export async function copyImage(
  deps: CopyDeps,
  source: { repositoryName: string; digest: string },
  target: { repositoryName: string; tag: string },
): Promise<CopyResult> {
  const result: CopyResult = { digest: source.digest, mountedBlobs: 0, copiedBlobs: 0, presentBlobs: 0, copiedBytes: 0 };
  // Mounts work only inside one registry: another account's or region's blobs are streamed across.
  const across = deps.source !== undefined && (await deps.source.auth()).registryHost !== (await deps.auth()).registryHost;
  await copyManifest({ ...deps, across }, source.repositoryName, target.repositoryName, source.digest, target.tag, result);
  return result;
}

type Copy = CopyDeps & { across: boolean };

async function copyManifest(
  deps: Copy,
  from: string,
  to: string,
  digest: string,
  tag: string | undefined,
  result: CopyResult,
): Promise<void> {
  const { manifest, mediaType } = await getManifest(deps.source?.ecr ?? deps.ecr, from, digest, deps.source?.registryId);
  const { blobs, children } = manifestReferences(manifest);
  for (const child of children) await copyManifest(deps, from, to, child.digest, undefined, result);
  for (const blob of blobs) {
    const how = await ensureBlob(deps, from, to, blob);
    if (how === 'mounted') result.mountedBlobs++;
    else if (how === 'present') result.presentBlobs++;
    else {
      result.copiedBlobs++;
      result.copiedBytes += blob.size;
    }
  }
  await putTag(deps.ecr, to, { manifest, mediaType, digest }, tag);
}

async function ensureBlob(deps: Copy, from: string, to: string, blob: Descriptor): Promise<'present' | 'mounted' | 'copied'> {
  const head = await drained(request(deps, deps.auth, 'HEAD', `/v2/${to}/blobs/${blob.digest}`));
  if (head.ok) return 'present';
  const start = deps.across ? '' : `?mount=${blob.digest}&from=${encodeURIComponent(from)}`;
  const mount = await drained(request(deps, deps.auth, 'POST', `/v2/${to}/blobs/uploads/${start}`));
  if (mount.status === 201 && !deps.across) return 'mounted';
  if (mount.status !== 202) throw registryError('start an upload', to, mount);
  // An upload is open (the registry refused the mount, or the blob is in another registry): stream the blob
  // across, one PATCH, then PUT with the digest.
  const download = await request(deps, deps.source?.auth ?? deps.auth, 'GET', `/v2/${from}/blobs/${blob.digest}`);
  if (!download.ok || !download.body) throw registryError(`read blob ${blob.digest}`, from, download);
  const patch = await drained(
    request(deps, deps.auth, 'PATCH', location(mount), { body: download.body, type: 'application/octet-stream' }),
  );
  if (patch.status !== 202 && patch.status !== 204) throw registryError(`upload blob ${blob.digest}`, to, patch);
  const close = new URL(location(patch));
  close.searchParams.set('digest', blob.digest);
  const put = await drained(request(deps, deps.auth, 'PUT', close.toString()));
  if (put.status !== 201) throw registryError(`complete blob ${blob.digest}`, to, put);
  return 'copied';
}

/** Reads a small answer's body to the end, so its connection goes back to the pool. */
async function drained(pending: Promise<Response>): Promise<Response> {
  const response = await pending;
  await response.arrayBuffer().catch(() => undefined);
  return response;
}

function location(response: Response): string {
  const value = response.headers.get('location');
  if (!value) throw new UserError(`The registry answered ${response.status} without a Location header during a blob upload.`);
  return new URL(value, response.url).toString();
}

function registryError(what: string, repository: string, response: Response): UserError {
  return new UserError(`Registry refused to ${what} in ${repository}: HTTP ${response.status} ${response.statusText}.`);
}

/** A registry request (lib/ecr/registry-http.ts) with the credentials of one side of the copy. */
function request(
  deps: RegistryHttp,
  auth: Auth,
  method: string,
  pathOrUrl: string,
  body?: { body: ReadableStream<Uint8Array>; type: string },
): Promise<Response> {
  return registryRequest({ ...deps, auth }, method, pathOrUrl, body);
}
