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
  const config = text('containerimage.config.digest');
  const digest = text('containerimage.digest');
  // The docker driver's engine exporter (when it does not push) reports only containerimage.digest, and that is the
  // image id; BuildKit's own exporters report the config digest (the image id) and the manifest digest.
  return config ? { imageId: config, digest } : { imageId: digest };
}
