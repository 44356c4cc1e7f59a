// The base images of one build, resolved: for each reference the Dockerfile makes (base-images.ts), the digest it
// names for each target platform — hashed into the content tag — and the `ref@digest` the build is pinned to, so
// the build uses exactly the digests that were hashed. A reference already pinned by digest is hashed as written; only
// its platform is checked.
import { UserError, oneLine } from '../errors';
import { baseReferences, type BaseReference, type BaseReferenceInput } from './base-images';
import { formatImageRef, parseImageRef, type ImageRef } from './image-ref';
import { PlatformError } from './registry-manifests';

/** One base as the build record lists it. */
export interface BaseImage {
  /** The image reference, variables expanded. */
  ref: string;
  /** The platform the digest is for, or `any` for a stage with its own --platform (the whole index). */
  platform: string;
  digest: string;
}

export interface ResolvedBase {
  reference: BaseReference;
  images: BaseImage[];
  /** What the build reads in its place: `ref@digest`. */
  pinned: string;
}

/** Asks a registry which digest a reference names for a platform (`any`: the whole index). */
export type DigestLookup = (ref: ImageRef, platform: string) => Promise<string>;

export async function resolveBaseImages(input: BaseReferenceInput, lookup: DigestLookup): Promise<ResolvedBase[]> {
  const references = baseReferences(input);
  return Promise.all(references.map((reference) => resolveOne(reference, input, lookup)));
}

async function resolveOne(reference: BaseReference, input: BaseReferenceInput, lookup: DigestLookup): Promise<ResolvedBase> {
  const ref = parseImageRef(reference.ref) as ImageRef;
  const base = baseName(reference, input);
  const at = (platform: string) =>
    lookup(ref, platform).catch((error: unknown) => {
      // Pinning this image by digest would not fix it (a pinned base is checked too): name the fix that does.
      if (error instanceof PlatformError) {
        throw new UserError(
          `${base} ${error.message}: use a tag that is an index with a ${error.wanted} image (most official images are), ` +
            `or a ${error.wanted} image.`,
        );
      }
      throw new UserError(
        `${base} could not be resolved for ${platform === 'any' ? 'any platform' : platform}: ` +
          `${oneLine(error)}. Check the reference and that ${ref.registry} is reachable (docker login ${ref.registry} if it is ` +
          `private), or pin it by digest (${reference.ref}@sha256:…): a pinned base builds even when its registry cannot be asked.`,
      );
    });
  if (ref.digest) {
    // Pinned already: the digest is the content. It must still hold the build's platforms — an amd64 image pinned
    // into an arm64 build builds, and then does not run — which one manifest read per platform tells (once per run).
    // A registry out of reach (or silent for PINNED_CHECK_MS) is the build's to report — it may hold the image
    // already, or pull it through a mirror: only a mismatch refuses.
    const platforms = reference.platform === 'any' ? ['any'] : input.platforms;
    if (reference.platform !== 'any')
      await Promise.all(input.platforms.map((platform) => checkPinned(reference, ref, platform, input, lookup)));
    return {
      reference,
      images: platforms.map((platform) => ({ ref: reference.ref, platform, digest: ref.digest as string })),
      pinned: reference.ref,
    };
  }
  if (reference.platform === 'any') {
    const digest = await at('any');
    return { reference, images: [{ ref: reference.ref, platform: 'any', digest }], pinned: formatImageRef({ ...ref, digest }) };
  }
  const images = await Promise.all(input.platforms.map(async (platform) => ({ ref: reference.ref, platform, digest: await at(platform) })));
  // One platform: pin its own manifest. Several: pin the index, which names exactly those platform manifests.
  const pin = images.length === 1 ? (images[0] as BaseImage).digest : await at('any');
  return { reference, images, pinned: formatImageRef({ ...ref, digest: pin }) };
}

/** How long the platform check of a pinned base may take; past it the build goes on unchecked (a registry that drops packets). */
export const PINNED_CHECK_MS = 5_000;

async function checkPinned(reference: BaseReference, ref: ImageRef, platform: string, input: BaseReferenceInput, lookup: DigestLookup) {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, PINNED_CHECK_MS);
    timer.unref();
  });
  try {
    await Promise.race([lookup(ref, platform), gaveUp]);
  } catch (error) {
    if (!(error instanceof PlatformError)) return;
    const fix = `pin the digest of its ${platform} image, or of an index that has one (docker buildx imagetools inspect ${formatImageRef({ ...ref, digest: undefined })} lists them)`;
    throw new UserError(`${baseName(reference, input)} ${error.message}: ${fix}.`);
  } finally {
    clearTimeout(timer);
  }
}

/** How an error names a base: `Base image <ref> (<instruction> in <Dockerfile>)`. */
const baseName = (reference: BaseReference, input: BaseReferenceInput) =>
  `Base image ${reference.ref} (${reference.instruction} in ${input.dockerfile})`;

/** The Dockerfile with every resolved reference replaced by its pinned `ref@digest`; the rest byte for byte. */
export function pinDockerfile(text: string, bases: ResolvedBase[]): string {
  const lines = text.split('\n');
  const edits = [...bases].sort(
    (a, b) =>
      b.reference.range.start.line - a.reference.range.start.line || b.reference.range.start.character - a.reference.range.start.character,
  );
  for (const { reference, pinned } of edits) {
    const { start, end } = reference.range;
    const head = (lines[start.line] ?? '').slice(0, start.character);
    const tail = (lines[end.line] ?? '').slice(end.character);
    lines.splice(start.line, end.line - start.line + 1, `${head}${pinned}${tail}`);
  }
  return lines.join('\n');
}

/** Every image the build reads, once: what the content tag hashes and the build record lists. */
export const baseImagesOf = (bases: ResolvedBase[]): BaseImage[] => {
  const seen = new Set<string>();
  return bases
    .flatMap((base) => base.images)
    .filter((image) => {
      const key = `${image.ref} ${image.platform} ${image.digest}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
};
