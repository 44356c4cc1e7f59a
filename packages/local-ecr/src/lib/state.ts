// local-ecr's persistent bookkeeping (repositories, images, token hashes): one JSON file, written atomically.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type TagMutability = 'MUTABLE' | 'IMMUTABLE' | 'MUTABLE_WITH_EXCLUSION' | 'IMMUTABLE_WITH_EXCLUSION';

export interface MutabilityExclusionFilter {
  filterType: 'WILDCARD';
  filter: string;
}

export interface RepositoryRecord {
  name: string;
  /** Epoch milliseconds. */
  createdAt: number;
  imageTagMutability: TagMutability;
  imageTagMutabilityExclusionFilters?: MutabilityExclusionFilter[];
  scanOnPush: boolean;
  encryptionType: string;
  kmsKey?: string;
  lifecyclePolicyText?: string;
  tags?: { Key: string; Value: string }[];
}

export interface ImageRecord {
  digest: string;
  tags: string[];
  sizeInBytes: number;
  /** Epoch milliseconds of the first push of this digest. */
  pushedAt: number;
  manifestMediaType: string;
  artifactMediaType?: string;
}

export interface StateData {
  version: 1;
  repositories: Record<string, RepositoryRecord>;
  /** repository name → digest → image. */
  images: Record<string, Record<string, ImageRecord>>;
  /** sha256 of each password handed out → expiry (epoch ms). The passwords themselves are never stored. */
  tokens: Record<string, number>;
  /** ECR account settings set with PutAccountSetting (e.g. BLOB_MOUNTING); absent ones have ECR's default. */
  accountSettings: Record<string, string>;
}

export const STATE_FILE = 'state.json';

export const emptyState = (): StateData => ({ version: 1, repositories: {}, images: {}, tokens: {}, accountSettings: {} });

/** Reads the state file of a state directory; a missing file is an empty state, a corrupt one an error. */
export function loadState(stateDir: string): StateData {
  const file = join(stateDir, STATE_FILE);
  if (!existsSync(file)) return emptyState();
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<StateData>;
  if (parsed.version !== 1)
    throw new Error(`${file}: unknown state version ${String(parsed.version)}; move the directory away to start fresh.`);
  return { ...emptyState(), ...parsed, version: 1 };
}

/** Writes the state through a temporary file and a rename, so a crash never leaves half a file. */
export function saveState(stateDir: string, state: StateData): void {
  mkdirSync(stateDir, { recursive: true });
  const file = join(stateDir, STATE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state, null, 2));
  renameSync(temporary, file);
}

/** A copy of a record without one key (the state is plain JSON, so entries are dropped by rebuilding). */
export function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([candidate]) => candidate !== key));
}

/** Forgets an image of a repository (all its tags with it). */
export function forgetImage(state: StateData, repository: string, digest: string): void {
  state.images[repository] = withoutKey(imagesOf(state, repository), digest);
}

/** Forgets a repository and its images. */
export function forgetRepository(state: StateData, repository: string): void {
  state.repositories = withoutKey(state.repositories, repository);
  state.images = withoutKey(state.images, repository);
}

/** The images of one repository (created on first use). */
export function imagesOf(state: StateData, repository: string): Record<string, ImageRecord> {
  return (state.images[repository] ??= {});
}

/** The digest a tag points at in a repository, if any. */
export function digestOfTag(state: StateData, repository: string, tag: string): string | undefined {
  return Object.values(imagesOf(state, repository)).find((image) => image.tags.includes(tag))?.digest;
}

export interface ImagePush {
  digest: string;
  tag?: string;
  sizeInBytes: number;
  manifestMediaType: string;
  artifactMediaType?: string;
  now: number;
}

/** Records a manifest stored under a digest (and a tag): the tag moves off any other image, as in ECR. */
export function recordImage(state: StateData, repository: string, push: ImagePush): ImageRecord {
  const images = imagesOf(state, repository);
  if (push.tag) {
    for (const image of Object.values(images)) image.tags = image.tags.filter((tag) => tag !== push.tag);
  }
  const existing = images[push.digest];
  const image: ImageRecord = existing ?? {
    digest: push.digest,
    tags: [],
    sizeInBytes: push.sizeInBytes,
    pushedAt: push.now,
    manifestMediaType: push.manifestMediaType,
    ...(push.artifactMediaType ? { artifactMediaType: push.artifactMediaType } : {}),
  };
  if (push.tag && !image.tags.includes(push.tag)) image.tags.push(push.tag);
  images[push.digest] = image;
  return image;
}

/** Removes one tag from whatever image carries it; returns that image. */
export function removeTag(state: StateData, repository: string, tag: string): ImageRecord | undefined {
  const image = Object.values(imagesOf(state, repository)).find((candidate) => candidate.tags.includes(tag));
  if (image) image.tags = image.tags.filter((candidate) => candidate !== tag);
  return image;
}
