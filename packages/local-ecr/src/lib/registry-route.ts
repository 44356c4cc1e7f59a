// Classifies a registry API path (/v2/<name>/manifests/<ref>, blobs, uploads, tags) into what the proxy needs.

export type RegistryRoute =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'manifest'; repository: string; reference: string }
  | { kind: 'blob'; repository: string; digest: string }
  | { kind: 'upload'; repository: string; session?: string }
  | { kind: 'tags'; repository: string }
  | { kind: 'unknown' };

// The name may contain slashes, so the operation is matched at the end of the path.
const PATTERN = /^\/v2\/(.+?)\/(?:manifests\/([^/]+)|blobs\/uploads\/?([^/]*)|blobs\/([^/]+)|tags\/list)$/;

export function registryRoute(pathname: string): RegistryRoute {
  if (pathname === '/v2' || pathname === '/v2/') return { kind: 'base' };
  if (pathname === '/v2/_catalog') return { kind: 'catalog' };
  const match = PATTERN.exec(pathname);
  if (!match) return { kind: 'unknown' };
  const [, repository, reference, session, digest] = match as unknown as [string, string, string?, string?, string?];
  if (reference !== undefined) return { kind: 'manifest', repository, reference: decodeURIComponent(reference) };
  if (session !== undefined) return { kind: 'upload', repository, ...(session ? { session } : {}) };
  if (digest !== undefined) return { kind: 'blob', repository, digest: decodeURIComponent(digest) };
  return { kind: 'tags', repository };
}

/** Whether a request writes to a repository (ECR refuses those for repositories never created). */
export const isWrite = (method: string) => method === 'PUT' || method === 'POST' || method === 'PATCH' || method === 'DELETE';
