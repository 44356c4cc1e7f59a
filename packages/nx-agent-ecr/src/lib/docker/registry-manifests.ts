// Which manifest an image reference names in its registry (Registry API v2), for one platform or as a whole: a GET
// of the manifest with the registry's own auth flow (anonymous or Basic credentials, then a Bearer token when the
// registry asks for one), and for a single-platform image its config's platform. No Docker needed, so it works on a
// machine that only plans or skips.
import { createHash } from 'node:crypto';
import { UserError } from '../errors';
import { registryBaseUrl, type ImageRef } from './image-ref';

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface ManifestLookupDeps {
  fetch?: typeof fetch;
  /**
   * base64 `user:secret` for a registry, when there are credentials for it (docker config, the ECR session); asked
   * only when the registry challenges, with the scheme it asks for (`basic`, `bearer`).
   */
  credentials: (registry: string, scheme: string) => Promise<string | undefined>;
  signal?: AbortSignal;
  /** Deadline of one lookup, token request included. */
  timeoutMs?: number;
}

export const MANIFEST_LOOKUP_TIMEOUT_MS = 30_000;

/** The reference holds no image of the build's platform `wanted`: building on it would mislabel the image. */
export class PlatformError extends UserError {
  constructor(
    message: string,
    readonly wanted: string,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

/** The reference names one image of another platform (no index to choose from). */
export class PlatformMismatchError extends PlatformError {
  constructor(
    readonly found: string,
    wanted: string,
  ) {
    super(`is one ${found} image (not an index), so it cannot be the base of a ${wanted} build`, wanted);
    this.name = 'PlatformMismatchError';
  }
}

/** The reference names an index without an image of the platform. */
export class PlatformMissingError extends PlatformError {
  constructor(
    readonly offered: string,
    wanted: string,
  ) {
    super(`has no ${wanted} image (its index has ${offered || 'none'})`, wanted);
    this.name = 'PlatformMissingError';
  }
}

interface Descriptor {
  digest?: string;
  platform?: { os?: string; architecture?: string; variant?: string };
}

/** The digest `ref` resolves to for `platform` (the index's entry), or of what it names as a whole (`any`). */
export async function manifestDigest(ref: ImageRef, platform: string, deps: ManifestLookupDeps): Promise<string> {
  const url = `${registryBaseUrl(ref.registry)}/v2/${ref.repository}/manifests/${ref.digest ?? ref.tag ?? 'latest'}`;
  const timeout = AbortSignal.timeout(deps.timeoutMs ?? MANIFEST_LOOKUP_TIMEOUT_MS);
  const signal = deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout;
  let response: Response;
  let authorization: string | undefined;
  try {
    ({ response, authorization } = await authorizedGet(url, ref, deps, signal));
  } catch (error) {
    if (deps.signal?.aborted) throw error;
    const cause = timeout.aborted
      ? `no answer within ${Math.round((deps.timeoutMs ?? MANIFEST_LOOKUP_TIMEOUT_MS) / 1000)}s`
      : describe(error);
    throw new UserError(`${url} could not be reached (${cause})`);
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status === 404) throw new UserError(`the registry has no such image (404 for ${url})`);
  if (response.status === 401 || response.status === 403)
    throw new UserError(`the registry refused access (${response.status}); credentials are missing or lack pull rights`);
  if (!response.ok) throw new UserError(`the registry answered ${response.status} ${response.statusText} for ${url}`);
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  const { manifests, config } = JSON.parse(body.toString('utf8')) as { manifests?: Descriptor[]; config?: { digest?: string } };
  if (platform === 'any') return digest;
  const [os, architecture, variant] = platform.split('/');
  const fits = (p: Descriptor['platform']) =>
    p?.os === os && p.architecture === architecture && (!variant || !p.variant || p.variant === variant);
  if (!manifests) {
    // One image, not an index: BuildKit would build FROM it whatever its platform, so its config must say this one.
    const own = config?.digest ? await imagePlatform(ref, config.digest, { ...deps, authorization }, signal) : undefined;
    if (own && !fits(own)) throw new PlatformMismatchError([own.os, own.architecture, own.variant].filter(Boolean).join('/'), platform);
    return digest;
  }
  const match = manifests.find((m) => fits(m.platform) && m.digest);
  if (!match?.digest) {
    const offered = manifests
      .map((m) => [m.platform?.os, m.platform?.architecture, m.platform?.variant].filter(Boolean).join('/'))
      .join(', ');
    throw new PlatformMissingError(offered, platform);
  }
  return match.digest;
}

/**
 * The platform an image's config names; undefined when the config cannot be read (then nothing is claimed). Asked
 * with the authorization the manifest's GET earned: a pull token of the repository covers its blobs.
 */
async function imagePlatform(
  ref: ImageRef,
  configDigest: string,
  deps: ManifestLookupDeps & { authorization?: string },
  signal: AbortSignal,
): Promise<Descriptor['platform']> {
  const url = `${registryBaseUrl(ref.registry)}/v2/${ref.repository}/blobs/${configDigest}`;
  const headers: Record<string, string> = deps.authorization ? { authorization: deps.authorization } : {};
  // A registry may redirect a blob to storage (ECR: S3); fetch drops the authorization on the way to another origin.
  const response = await (deps.fetch ?? fetch)(url, { headers, signal, redirect: 'follow' }).catch(() => undefined);
  if (!response?.ok) {
    await response?.arrayBuffer().catch(() => undefined);
    return undefined;
  }
  const config = (await response.json().catch(() => undefined)) as { os?: string; architecture?: string; variant?: string } | undefined;
  return config?.os && config.architecture ? { os: config.os, architecture: config.architecture, variant: config.variant } : undefined;
}

async function authorizedGet(
  url: string,
  ref: ImageRef,
  deps: ManifestLookupDeps,
  signal: AbortSignal,
): Promise<{ response: Response; authorization?: string }> {
  const doFetch = deps.fetch ?? fetch;
  const get = (authorization?: string) =>
    doFetch(url, { headers: { accept: MANIFEST_ACCEPT, ...(authorization ? { authorization } : {}) }, signal, redirect: 'follow' });
  const first = await get();
  if (first.status !== 401) return { response: first };
  const challenge = parseChallenge(first.headers.get('www-authenticate') ?? '');
  const basic = await deps.credentials(ref.registry, challenge.scheme);
  const retry = async (authorization: string) => {
    await first.arrayBuffer().catch(() => undefined);
    return { response: await get(authorization), authorization };
  };
  if (challenge.scheme === 'basic') return basic ? retry(`Basic ${basic}`) : { response: first };
  if (challenge.scheme !== 'bearer' || !challenge.params['realm']) return { response: first };
  const tokenUrl = new URL(challenge.params['realm']);
  if (challenge.params['service']) tokenUrl.searchParams.set('service', challenge.params['service']);
  tokenUrl.searchParams.set('scope', challenge.params['scope'] ?? `repository:${ref.repository}:pull`);
  const tokenResponse = await doFetch(tokenUrl, { headers: basic ? { authorization: `Basic ${basic}` } : {}, signal });
  if (!tokenResponse.ok) {
    await tokenResponse.arrayBuffer().catch(() => undefined);
    return { response: first };
  }
  const token = (await tokenResponse.json()) as { token?: string; access_token?: string };
  return retry(`Bearer ${token.token ?? token.access_token ?? ''}`);
}

/** `Bearer realm="https://auth",service="reg",scope="repository:x:pull"` → scheme and parameters. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const scheme = (header.match(/^\s*(\w+)/)?.[1] ?? '').toLowerCase();
  const params = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]?.toLowerCase() ?? '', m[2] ?? '']));
  return { scheme, params };
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
