// Decides what ecr-push does for one image (retag, promote or push) and renders that plan for logs and dry runs.
import type { EcrPort } from '../../lib/aws/clients';
import { findImageByTag, type FoundImage } from '../../lib/ecr/images';

export type PushAction =
  /** The target repository already holds the content tag: move the other tags, no image data moves. */
  | { kind: 'retag'; image: FoundImage }
  /** Another environment's repository holds it: copy registry to registry (digest preserved), then retag. */
  | { kind: 'promote'; source: FoundImage }
  /** Nobody holds it: push the locally built image's content tag, then retag. */
  | { kind: 'push'; localRef: string };

export interface PlanInput {
  repositoryName: string;
  /** False in a dry run for a repository that does not exist yet (nothing to look up). */
  repositoryExists: boolean;
  promoteFromRepository?: string;
  contentTag: string;
  localRef: string;
}

/** The cheapest way to get `contentTag` into the repository: the lookup order is target, then promote-from. */
export async function decideAction(ecr: EcrPort, input: PlanInput): Promise<PushAction> {
  const here = input.repositoryExists ? await findImageByTag(ecr, input.repositoryName, input.contentTag) : undefined;
  if (here) return { kind: 'retag', image: here };
  if (input.promoteFromRepository) {
    const source = await findImageByTag(ecr, input.promoteFromRepository, input.contentTag);
    if (source) return { kind: 'promote', source };
  }
  return { kind: 'push', localRef: input.localRef };
}

export interface PlanView {
  repositoryName: string;
  repositoryUri?: string;
  repositoryExists: boolean;
  tags: string[];
  action: PushAction;
}

/** Human lines describing the plan; never contains credentials (there are none in its inputs). */
export function formatPlan(view: PlanView): string[] {
  const where = view.repositoryUri ?? `${view.repositoryName} (created on push)`;
  const lines = [`repository: ${where}${view.repositoryExists ? '' : ' — would be created'}`, `tags: ${view.tags.join(', ')}`];
  const { action } = view;
  if (action.kind === 'retag') {
    lines.push(`skip: ${action.image.digest} already carries ${view.tags[0]}; only tags move (PutImage), no image data`);
  } else if (action.kind === 'promote') {
    lines.push(`promote: copy ${action.source.repositoryName}@${action.source.digest} registry to registry (no rebuild), then tag`);
  } else {
    lines.push(`push: ${action.localRef} → ${where}:${view.tags[0]}, then tag the same manifest with the others`);
  }
  return lines;
}
