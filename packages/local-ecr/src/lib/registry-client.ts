// Calls the inner registry's manifest API for the ECR operations that read or write images.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { InnerRegistry } from './registry-process';
import { MEDIA_TYPES } from './manifest';

export const ALL_MANIFEST_TYPES = Object.values(MEDIA_TYPES);

export interface FetchedManifest {
  status: number;
  body: string;
  contentType: string;
  digest?: string;
}

async function asFetched(response: Response): Promise<FetchedManifest> {
  const digest = response.headers.get('docker-content-digest') ?? undefined;
  return {
    status: response.status,
    body: await response.text(),
    contentType: response.headers.get('content-type') ?? '',
    ...(digest ? { digest } : {}),
  };
}

export async function getManifest(
  inner: InnerRegistry,
  repository: string,
  reference: string,
  accept: readonly string[] = ALL_MANIFEST_TYPES,
): Promise<FetchedManifest> {
  const response = await fetch(`${inner.origin}/v2/${repository}/manifests/${reference}`, {
    headers: { accept: accept.join(', ') },
  });
  return asFetched(response);
}

export async function putManifest(
  inner: InnerRegistry,
  repository: string,
  reference: string,
  body: string,
  contentType: string,
): Promise<FetchedManifest> {
  const response = await fetch(`${inner.origin}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body,
  });
  return asFetched(response);
}

export async function deleteManifest(inner: InnerRegistry, repository: string, digest: string): Promise<number> {
  const response = await fetch(`${inner.origin}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' });
  await response.arrayBuffer();
  return response.status;
}

const repositoryDir = (inner: InnerRegistry, repository: string) =>
  join(inner.storageRoot, 'docker', 'registry', 'v2', 'repositories', ...repository.split('/'));

/** Untags without deleting the manifest: distribution 2.8 has no API for it, so the tag link goes on disk. */
export function removeTagOnDisk(inner: InnerRegistry, repository: string, tag: string): void {
  rmSync(join(repositoryDir(inner, repository), '_manifests', 'tags', tag), { recursive: true, force: true });
}

/** Drops a repository's links (manifests, tags, layers); shared blobs stay until a garbage collection. */
export function removeRepositoryOnDisk(inner: InnerRegistry, repository: string): void {
  const dir = repositoryDir(inner, repository);
  for (const part of ['_manifests', '_layers', '_uploads']) rmSync(join(dir, part), { recursive: true, force: true });
}
