// local-ecr's persistent bookkeeping (repositories, images, account settings) in Maps, and its JSON file form.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryNameProblem } from './naming';

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

/**
 * Everything keyed by a name a client chose lives in a Map: a repository called `__proto__` or `constructor` is
 * then just a missing key, never a property of Object.prototype.
 */
export interface StateData {
  version: 1;
  repositories: Map<string, RepositoryRecord>;
  /** repository name → digest → image. */
  images: Map<string, Map<string, ImageRecord>>;
  /** ECR account settings set with PutAccountSetting (e.g. BLOB_MOUNTING); absent ones have ECR's default. */
  accountSettings: Map<string, string>;
  /** Bumped by expire-tokens: every registry password of an older generation is expired (auth.ts). */
  tokenGeneration: number;
}

export const STATE_FILE = 'state.json';

export const emptyState = (): StateData => ({
  version: 1,
  repositories: new Map(),
  images: new Map(),
  accountSettings: new Map(),
  tokenGeneration: 0,
});

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const entriesOf = (value: unknown): [string, unknown][] => (isObject(value) ? Object.entries(value) : []);

/** Copies only the known fields of a stored repository, so nothing else from the file reaches a record. */
function repositoryFrom(name: string, raw: Json): RepositoryRecord {
  const filters = raw['imageTagMutabilityExclusionFilters'];
  return {
    name,
    createdAt: Number(raw['createdAt'] ?? 0),
    imageTagMutability: String(raw['imageTagMutability'] ?? 'MUTABLE') as TagMutability,
    ...(Array.isArray(filters) ? { imageTagMutabilityExclusionFilters: filters as MutabilityExclusionFilter[] } : {}),
    scanOnPush: raw['scanOnPush'] === true,
    encryptionType: String(raw['encryptionType'] ?? 'AES256'),
    ...(typeof raw['kmsKey'] === 'string' ? { kmsKey: raw['kmsKey'] } : {}),
    ...(typeof raw['lifecyclePolicyText'] === 'string' ? { lifecyclePolicyText: raw['lifecyclePolicyText'] } : {}),
    ...(Array.isArray(raw['tags']) ? { tags: raw['tags'] as RepositoryRecord['tags'] } : {}),
  };
}

function imageFrom(digest: string, raw: Json): ImageRecord {
  return {
    digest,
    tags: Array.isArray(raw['tags']) ? raw['tags'].filter((tag): tag is string => typeof tag === 'string') : [],
    sizeInBytes: Number(raw['sizeInBytes'] ?? 0),
    pushedAt: Number(raw['pushedAt'] ?? 0),
    manifestMediaType: String(raw['manifestMediaType'] ?? ''),
    ...(typeof raw['artifactMediaType'] === 'string' ? { artifactMediaType: raw['artifactMediaType'] } : {}),
  };
}

/** The state a parsed state file describes; entries under names ECR would refuse are dropped. */
export function stateFromJson(parsed: Json): StateData {
  const state = emptyState();
  for (const [name, raw] of entriesOf(parsed['repositories'])) {
    if (repositoryNameProblem(name) === undefined && isObject(raw)) state.repositories.set(name, repositoryFrom(name, raw));
  }
  for (const [name, images] of entriesOf(parsed['images'])) {
    if (!state.repositories.has(name)) continue;
    state.images.set(
      name,
      new Map(
        entriesOf(images)
          .filter(([, raw]) => isObject(raw))
          .map(([digest, raw]) => [digest, imageFrom(digest, raw as Json)]),
      ),
    );
  }
  for (const [name, value] of entriesOf(parsed['accountSettings'])) if (typeof value === 'string') state.accountSettings.set(name, value);
  state.tokenGeneration = Number.isInteger(parsed['tokenGeneration']) ? (parsed['tokenGeneration'] as number) : 0;
  return state;
}

export function stateToJson(state: StateData): object {
  return {
    version: 1,
    repositories: Object.fromEntries(state.repositories),
    images: Object.fromEntries([...state.images].map(([name, images]) => [name, Object.fromEntries(images)])),
    accountSettings: Object.fromEntries(state.accountSettings),
    tokenGeneration: state.tokenGeneration,
  };
}

/** Reads the state file of a state directory; a missing file is an empty state, a corrupt one an error. */
export function loadState(stateDir: string): StateData {
  const file = join(stateDir, STATE_FILE);
  if (!existsSync(file)) return emptyState();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); move the directory away to start fresh.`, { cause: error });
  }
  const version = isObject(parsed) ? parsed['version'] : undefined;
  if (version !== 1) throw new Error(`${file}: unknown state version ${String(version)}; move the directory away to start fresh.`);
  return stateFromJson(parsed as Json);
}

/** Writes the state through a temporary file and a rename, so a crash never leaves half a file. */
export function saveState(stateDir: string, state: StateData): void {
  mkdirSync(stateDir, { recursive: true });
  const file = join(stateDir, STATE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(stateToJson(state), null, 2));
  renameSync(temporary, file);
}

/** The images of one repository (created on first use). */
export function imagesOf(state: StateData, repository: string): Map<string, ImageRecord> {
  let images = state.images.get(repository);
  if (!images) state.images.set(repository, (images = new Map()));
  return images;
}

/** Forgets an image of a repository (all its tags with it). */
export function forgetImage(state: StateData, repository: string, digest: string): void {
  state.images.get(repository)?.delete(digest);
}

/** Forgets a repository and its images. */
export function forgetRepository(state: StateData, repository: string): void {
  state.repositories.delete(repository);
  state.images.delete(repository);
}

/** The image a tag points at in a repository, if any. */
export function imageOfTag(state: StateData, repository: string, tag: string): ImageRecord | undefined {
  for (const image of state.images.get(repository)?.values() ?? []) if (image.tags.includes(tag)) return image;
  return undefined;
}

/** The digest a tag points at in a repository, if any. */
export const digestOfTag = (state: StateData, repository: string, tag: string) => imageOfTag(state, repository, tag)?.digest;

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
  if (push.tag) removeTag(state, repository, push.tag);
  const image: ImageRecord = images.get(push.digest) ?? {
    digest: push.digest,
    tags: [],
    sizeInBytes: push.sizeInBytes,
    pushedAt: push.now,
    manifestMediaType: push.manifestMediaType,
    ...(push.artifactMediaType ? { artifactMediaType: push.artifactMediaType } : {}),
  };
  if (push.tag && !image.tags.includes(push.tag)) image.tags.push(push.tag);
  images.set(push.digest, image);
  return image;
}

/** Removes one tag from whatever image carries it; returns that image. */
export function removeTag(state: StateData, repository: string, tag: string): ImageRecord | undefined {
  const image = imageOfTag(state, repository, tag);
  if (image) image.tags = image.tags.filter((candidate) => candidate !== tag);
  return image;
}
