// Image references as Docker reads them (pure): `python:3.12` is docker.io/library/python:3.12, a first component
// with a dot, a colon or `localhost` names a registry, a digest pins the content.

export interface ImageRef {
  /** The registry as references name it, e.g. docker.io, public.ecr.aws, 127.0.0.1:5000. */
  registry: string;
  /** The repository path in that registry, e.g. library/python. */
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** undefined when `text` is no image reference at all. */
export function parseImageRef(text: string): ImageRef | undefined {
  const [name = '', digest, ...rest] = text.split('@');
  if (rest.length || (digest !== undefined && !DIGEST.test(digest)) || !name || /\s/.test(name)) return undefined;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  const path = colon < 0 ? name : name.slice(0, colon);
  const tag = colon < 0 ? undefined : name.slice(colon + 1);
  const [first = '', ...others] = path.split('/');
  const named = others.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = named ? first : 'docker.io';
  const repoPath = named ? others.join('/') : path;
  const repository = registry === 'docker.io' && !repoPath.includes('/') ? `library/${repoPath}` : repoPath;
  if (!/^[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*$/.test(repository)) return undefined;
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag)) return undefined;
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The reference as written back: registry (unless docker.io), repository, tag, digest. */
export function formatImageRef(ref: ImageRef): string {
  const short = ref.registry === 'docker.io' ? ref.repository.replace(/^library\//, '') : `${ref.registry}/${ref.repository}`;
  return `${short}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** Docker Hub's API lives on another host than its references name. */
export function registryApiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}

/** Docker talks plain HTTP to a loopback registry (its default insecure range); every other registry is HTTPS. */
export function registryBaseUrl(registry: string): string {
  const host = registryApiHost(registry);
  const hostname = host.replace(/:\d+$/, '');
  const loopback = hostname === 'localhost' || /^127\./.test(hostname) || hostname === '[::1]';
  return `${loopback ? 'http' : 'https'}://${host}`;
}
