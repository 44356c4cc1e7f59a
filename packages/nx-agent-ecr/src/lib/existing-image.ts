// Is the image for this content already in ECR? The one check both executors share, so that neither a build
// nor an upload happens for content ECR already holds (cdk-assets does the same lookup in build and publish).
// STUB: the ecr-push work replaces this with the real lookup; docker-arm64-build already calls it.
import type { ExecutorContext } from '@nx/devkit';

export interface ExistingImage {
  /** Repository URI as ECR reports it (never assembled by hand). */
  repositoryUri: string;
  digest: string;
  /** `target`: the repository this push goes to holds it; `promote-from`: another environment's repository does. */
  foundIn: 'target' | 'promote-from';
}

/** Returns the image that already carries `contentTag`, or undefined when it must be built. Never throws for "absent". */
export async function findPushedImage(_context: ExecutorContext, _contentTag: string): Promise<ExistingImage | undefined> {
  return undefined;
}
