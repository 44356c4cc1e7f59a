// Decides what ecr-push does for one image (retag, promote or push) and renders that plan for logs and dry runs (pure).
import type { FoundImage } from '../../lib/ecr/images';
import type { Presence } from '../../lib/ecr/presence';
import type { Threshold } from '../../lib/ecr/scan-findings';

export type PushAction =
  /** The target repository already holds the content tag: move the other tags, no image data moves. */
  | { kind: 'retag'; image: FoundImage }
  /** Another environment's repository holds it: copy registry to registry (digest preserved), then retag. */
  | { kind: 'promote'; source: FoundImage }
  /** Nobody holds it: push the locally built image's content tag, then retag. */
  | { kind: 'push'; localRef: string };

/** The cheapest way to get the content into the repository, from where it already lives (lib/ecr/presence.ts). */
export function decideAction(presence: Presence, localRef: string): PushAction {
  if (presence.where === 'this-repository') return { kind: 'retag', image: presence.image };
  if (presence.where === 'other-environment') return { kind: 'promote', source: presence.image };
  return { kind: 'push', localRef };
}

export interface PlanView {
  repositoryName: string;
  repositoryUri?: string;
  repositoryExists: boolean;
  tags: string[];
  action: PushAction;
  /** A dry run plans from the content tag: nothing was built, so a push would need a build first. */
  unbuilt?: boolean;
  /** The scan gate's threshold, when it runs. */
  gate?: Threshold;
  /** Where a promotion's source lives when it is another account or region. */
  sourceLabel?: string;
}

/** Human lines describing the plan; never contains credentials (there are none in its inputs). */
export function formatPlan(view: PlanView): string[] {
  const where = view.repositoryUri ?? `${view.repositoryName} (created on push)`;
  const lines = [`repository: ${where}${view.repositoryExists ? '' : ' — would be created'}`, `tags: ${view.tags.join(', ')}`];
  const { action } = view;
  if (view.gate) {
    const which = action.kind === 'promote' ? `${action.source.repositoryName}@${action.source.digest}` : 'the image';
    lines.push(`gate: wait for the ECR scan of ${which}; fail on ${view.gate} or above before any tag moves`);
  }
  if (action.kind === 'retag') {
    lines.push(`skip: ${action.image.digest} already carries ${view.tags[0]}; only tags move (PutImage), no image data`);
  } else if (action.kind === 'promote') {
    const from = view.sourceLabel ? ` (${view.sourceLabel})` : '';
    lines.push(`promote: copy ${action.source.repositoryName}@${action.source.digest}${from} registry to registry (no rebuild), then tag`);
  } else {
    if (view.unbuilt) lines.push(`build: would build ${action.localRef} (docker-build); nothing was built in this dry run`);
    lines.push(`push: ${action.localRef} → ${where}:${view.tags[0]}, then tag the same manifest with the others`);
  }
  return lines;
}
