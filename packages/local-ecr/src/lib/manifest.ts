// Reads image manifests the way ECR's bookkeeping needs: digest, media type, size, referenced children.
import { createHash } from 'node:crypto';

export const MEDIA_TYPES = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
} as const;

export interface ManifestFacts {
  mediaType: string;
  /** Media type of the config blob (ECR's artifactMediaType), for image manifests. */
  artifactMediaType?: string;
  /** config + layers for an image manifest (ECR's imageSizeInBytes); 0 for an index. */
  ownSize: number;
  /** Digests of the manifests an index points at. */
  children: string[];
  isIndex: boolean;
}

interface Descriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
}

interface RawManifest {
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

export const sha256Digest = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Parses a manifest; the media type comes from the document, else the Content-Type it was sent with. */
export function manifestFacts(body: string, contentType?: string): ManifestFacts {
  const raw = JSON.parse(body) as RawManifest;
  if (typeof raw !== 'object' || raw === null) throw new Error('manifest is not a JSON object');
  const declared = raw.mediaType ?? contentType?.split(';')[0]?.trim();
  const isIndex = Array.isArray(raw.manifests);
  const mediaType = declared ?? (isIndex ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest);
  const size = (d: Descriptor | undefined) => (typeof d?.size === 'number' ? d.size : 0);
  const ownSize = isIndex ? 0 : size(raw.config) + (raw.layers ?? []).reduce((sum, layer) => sum + size(layer), 0);
  const children = isIndex ? (raw.manifests ?? []).flatMap((m) => (m.digest ? [m.digest] : [])) : [];
  return {
    mediaType,
    ...(raw.config?.mediaType ? { artifactMediaType: raw.config.mediaType } : {}),
    ownSize,
    children,
    isIndex,
  };
}
