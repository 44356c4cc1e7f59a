// Classifies a registry API path (/v2/<name>/manifests/<ref>, blobs, uploads, tags) into what the proxy needs,
// and names each request after the ECR action it is (what fault hooks are scoped to).

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

function decoded(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

export function registryRoute(pathname: string): RegistryRoute {
  if (pathname === '/v2' || pathname === '/v2/') return { kind: 'base' };
  if (pathname === '/v2/_catalog') return { kind: 'catalog' };
  const match = PATTERN.exec(pathname);
  if (!match) return { kind: 'unknown' };
  const [, repository, reference, session, digest] = match as unknown as [string, string, string?, string?, string?];
  if (reference !== undefined) {
    const ref = decoded(reference);
    return ref === undefined ? { kind: 'unknown' } : { kind: 'manifest', repository, reference: ref };
  }
  if (session !== undefined) return { kind: 'upload', repository, ...(session ? { session } : {}) };
  if (digest !== undefined) {
    const blob = decoded(digest);
    return blob === undefined ? { kind: 'unknown' } : { kind: 'blob', repository, digest: blob };
  }
  return { kind: 'tags', repository };
}

/** Registry operations a fault can target, each with the ECR IAM action ECR's registry authorizes it as. */
export const REGISTRY_OPERATIONS = new Map<string, string>([
  ['registry:InitiateLayerUpload', 'InitiateLayerUpload'],
  ['registry:UploadLayerPart', 'UploadLayerPart'],
  ['registry:CompleteLayerUpload', 'CompleteLayerUpload'],
  ['registry:PutManifest', 'PutImage'],
  ['registry:GetManifest', 'BatchGetImage'],
  ['registry:GetLayer', 'GetDownloadUrlForLayer'],
  ['registry:ListTags', 'ListImages'],
]);

/** The registry operation of a request: POST starts an upload, PATCH sends a part, PUT completes it, and so on. */
export function registryOperation(route: RegistryRoute, method: string): string | undefined {
  switch (route.kind) {
    case 'upload':
      return method === 'POST'
        ? 'registry:InitiateLayerUpload'
        : method === 'PATCH'
          ? 'registry:UploadLayerPart'
          : method === 'PUT'
            ? 'registry:CompleteLayerUpload'
            : undefined;
    case 'manifest':
      return method === 'PUT' ? 'registry:PutManifest' : method === 'GET' || method === 'HEAD' ? 'registry:GetManifest' : undefined;
    case 'blob':
      return method === 'GET' || method === 'HEAD' ? 'registry:GetLayer' : undefined;
    case 'tags':
      return 'registry:ListTags';
    default:
      return undefined;
  }
}
