// Reads what buildx wrote to --metadata-file: the image id (config digest) and, when pushed, the manifest digest.
import { readFile } from 'node:fs/promises';

export interface BuildMetadata {
  imageId?: string;
  digest?: string;
}

export async function readBuildMetadata(path: string): Promise<BuildMetadata> {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch {
    // An older buildx, or a build that exported nothing, leaves no file: the record then simply lacks the ids.
    return {};
  }
  const text = (key: string) => (typeof parsed[key] === 'string' ? parsed[key] : undefined);
  return { imageId: text('containerimage.config.digest'), digest: text('containerimage.digest') };
}
