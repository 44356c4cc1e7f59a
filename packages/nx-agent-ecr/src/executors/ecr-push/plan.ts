// Decides how ecr-push delivers one image — retag, promote, or push a build (reused or made now) — and renders that
// plan for logs and dry runs. Pure: a function of the options and of what the lookups found.
import { UserError } from '../../lib/errors';
import type { FoundImage } from '../../lib/ecr/images';
import type { LatestDecision } from '../../lib/ecr/latest';
import { describeMutability, type MutabilitySettings } from '../../lib/ecr/mutability';
import type { Presence } from '../../lib/ecr/presence';
import type { LocalBuild } from './local-build';
import type { Threshold } from '../../lib/ecr/scan-findings';

export type PushAction =
  /** The target repository already holds the content tag: move the other tags, no image data moves. */
  | { kind: 'retag'; image: FoundImage }
  /** Another environment's repository holds it: copy registry to registry (digest preserved), then retag. */
  | { kind: 'promote'; source: FoundImage }
  /** Nobody holds it: push the local image's content tag, then retag. */
  | { kind: 'push'; localRef: string };

export type BuildStep =
  /** ECR holds the content: nothing to build. */
  | { kind: 'none' }
  /** A docker-build of exactly these sources left its image here. */
  | { kind: 'reuse'; localRef: string }
  /** Build now, with the same build docker-build runs. */
  | { kind: 'build'; localRef: string };

export interface DeliveryPlan {
  build: BuildStep;
  action: PushAction;
}

export interface PlanInput {
  project: string;
  /** The build target, e.g. "svc:docker-build", for messages. */
  buildTarget: string;
  /** The `build` option: false = push only what a docker-build of these sources made. */
  mayBuild: boolean;
  contentTag: string;
  /** `<imageName>:<contentTag>`: the image a build makes. */
  localRef: string;
  presence: Presence;
  /** Asked only when ECR holds the content nowhere. */
  localBuild?: LocalBuild;
  repositoryName: string;
  mutability: MutabilitySettings;
  /** Immutable tags of this push (not the content tag) that already name an image. */
  immutableHolders: { tag: string; digest: string }[];
}

/**
 * The cheapest way to get the content into the repository, from where it already lives (lib/ecr/presence.ts).
 * Refuses, before anything is built or uploaded, a plan that would move an immutable tag.
 */
export function planDelivery(input: PlanInput): DeliveryPlan {
  refuseImmutableMoves(input);
  const { presence } = input;
  if (presence.where === 'this-repository') return { build: { kind: 'none' }, action: { kind: 'retag', image: presence.image } };
  if (presence.where === 'other-environment') return { build: { kind: 'none' }, action: { kind: 'promote', source: presence.image } };
  const local = input.localBuild;
  if (local?.usable) return { build: { kind: 'reuse', localRef: local.localRef }, action: { kind: 'push', localRef: local.localRef } };
  if (!input.mayBuild) {
    throw new UserError(
      `ecr-push of ${input.project} with build: false found no build of its sources (${input.contentTag}): ` +
        `${local?.reason ?? 'no local build'}. Run \`nx run ${input.buildTarget}\` first, or let ecr-push build (drop --build=false).`,
    );
  }
  return { build: { kind: 'build', localRef: input.localRef }, action: { kind: 'push', localRef: input.localRef } };
}

/** The digest the content will have in the repository, when it is known before anything moves. */
function landingDigest(presence: Presence): string | undefined {
  return presence.where === 'nowhere' ? undefined : presence.image.digest;
}

function refuseImmutableMoves(input: PlanInput): void {
  const target = landingDigest(input.presence);
  const moving = input.immutableHolders.filter((holder) => holder.digest !== target);
  if (moving.length === 0) return;
  const tags = moving.map((holder) => holder.tag);
  const names = moving.map((holder) => `${holder.tag} → ${holder.digest}`).join(', ');
  throw new UserError(
    `ecr-push of ${input.project} would move immutable tag(s) ${names} of ${input.repositoryName} ` +
      `(${describeMutability(input.mutability)}) to ${input.contentTag}; nothing was built or uploaded. Drop ${tags.join(', ')} ` +
      `from tags, or let them move: imageTagMutability IMMUTABLE_WITH_EXCLUSION with imageTagMutabilityExclusionFilters ` +
      `${JSON.stringify(tags)}.`,
  );
}

export interface PlanView {
  repositoryName: string;
  repositoryUri?: string;
  repositoryExists: boolean;
  tags: string[];
  plan: DeliveryPlan;
  /** The build command a dry run would run, for "would build". */
  buildCommand?: string;
  latest?: LatestDecision;
  /** The scan gate's threshold, when it runs. */
  gate?: Threshold;
  /** Where a promotion's source lives when it is another account or region. */
  sourceLabel?: string;
}

/** Human lines describing the plan; never contains credentials (there are none in its inputs). */
export function formatPlan(view: PlanView): string[] {
  const where = view.repositoryUri ?? `${view.repositoryName} (created on push)`;
  const lines = [`repository: ${where}${view.repositoryExists ? '' : ' — would be created'}`, `tags: ${view.tags.join(', ')}`];
  const { action, build } = view.plan;
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
    if (build.kind === 'build') lines.push(`build: would build ${build.localRef}${view.buildCommand ? `: ${view.buildCommand}` : ''}`);
    if (build.kind === 'reuse') lines.push(`build: reuse ${build.localRef}, built from these sources by docker-build`);
    lines.push(`push: ${action.localRef} → ${where}:${view.tags[0]}, then tag the same manifest with the others`);
  }
  if (view.latest && !view.latest.move) lines.push(`latest: stays where it is: ${view.latest.because}`);
  return lines;
}
