// Calls the inner registry's manifest API for the ECR operations that read or write images.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { innerRequest } from './inner-http';
import type { InnerRegistry } from './registry-process';
import { MEDIA_TYPES } from './manifest';

export const ALL_MANIFEST_TYPES = Object.values(MEDIA_TYPES);

export interface FetchedManifest {
  status: number;
  body: string;
  contentType: string;
  digest?: string;
}

async function manifestCall(
  inner: InnerRegistry,
  method: string,
  repository: string,
  reference: string,
  headers: Record<string, string>,
  body?: string,
): Promise<FetchedManifest> {
  const answer = await innerRequest(inner.socketPath, method, `/v2/${repository}/manifests/${reference}`, headers, body);
  const digest = answer.headers['docker-content-digest'];
  return {
    status: answer.status,
    body: answer.body.toString('utf8'),
    contentType: answer.headers['content-type'] ?? '',
    ...(typeof digest === 'string' ? { digest } : {}),
  };
}

export const getManifest = (inner: InnerRegistry, repository: string, reference: string, accept: readonly string[] = ALL_MANIFEST_TYPES) =>
  manifestCall(inner, 'GET', repository, reference, { accept: accept.join(', ') });

export const putManifest = (inner: InnerRegistry, repository: string, reference: string, body: string, contentType: string) =>
  manifestCall(inner, 'PUT', repository, reference, { 'content-type': contentType }, body);

export async function deleteManifest(inner: InnerRegistry, repository: string, digest: string): Promise<number> {
  return (await manifestCall(inner, 'DELETE', repository, digest, {})).status;
}

export const repositoryDir = (inner: InnerRegistry, repository: string) =>
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
