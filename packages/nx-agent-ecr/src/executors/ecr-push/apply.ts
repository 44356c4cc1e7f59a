// Carries out a DeliveryPlan: build when the plan says so, put the content tag in place (it exists, is promoted, or
// is pushed), then move the other tags in deliveryOrder — `latest` last, and only after one more check that it
// would still move forward. Every tag moved is recorded in `progress`, so a failure can say what moved.
import type { EcrPort } from '../../lib/aws/clients';
import { getManifest, retag, TagMoveError } from '../../lib/ecr/images';
import type { LatestDecision } from '../../lib/ecr/latest';
import type { ProcessRunner } from '../../lib/process';
import { copyImage } from '../../lib/ecr/registry-copy';
import type { ScannedImage, ScanVerdict } from '../../lib/ecr/scan-gate';
import type { DockerLoginSession } from '../../lib/ecr/registry-login';
import { deliveryOrder, LATEST } from '../../lib/ecr/tags';
import { lazily, settled } from '../../lib/task/settled';
import { waitForTag, type WaitPolicy } from '../../lib/ecr/verify';
import type { PushOutcome } from '../../lib/records/ecr-push-record';
import type { DeliveryPlan, PushAction } from './plan';
import { tagAndPush } from './push-image';

export interface ApplyContext {
  ecr: EcrPort;
  run: ProcessRunner;
  /** Created lazily: a retag needs no login and no docker. */
  session: () => DockerLoginSession;
  repositoryName: string;
  repositoryUri: string;
  contentTag: string;
  gitSha?: string;
  /** Every tag to land on the image; they move in deliveryOrder (content tag first, `latest` last). */
  tags: string[];
  pushAttempts: number;
  pushTimeoutMs: number;
  /** How long to wait for ECR to list a pushed tag. */
  visible: WaitPolicy;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  log: (line: string) => void;
  /** Builds the plan's image with lib/docker/build-image.ts (the build docker-build runs). */
  build: () => Promise<unknown>;
  /** Asked right before `latest` moves: may it still move to this digest? */
  mayMoveLatest: (digest: string) => Promise<LatestDecision>;
  /** The scan gate, when it runs: it judges the image before any tag that matters moves, and throws to stop it. */
  gate?: (image: ScannedImage) => Promise<ScanVerdict>;
  /** The promotion source's registry when it is another account's or region's: its port, registry id and login. */
  source?: { ecr: EcrPort; registryId?: string; session: () => DockerLoginSession };
}

export interface Applied {
  digest: string;
  outcome: PushOutcome;
  /** Wall time of the data transfer (docker push or registry copy), when there was one. */
  transferMs?: number;
  /** Why `latest` was left where it is, when it was. */
  latestKept?: string;
  /** What the scan gate saw, when it ran. */
  scan?: ScanVerdict;
}

/** What this run changed so far: the tags it moved, in order (the failure record lists them). */
export interface Progress {
  moved: string[];
}

export async function applyPlan(ctx: ApplyContext, plan: DeliveryPlan, progress: Progress): Promise<Applied> {
  // The push's registry token needs nothing of the build: it is fetched while the build runs (one memoised request;
  // a failed one is asked again at the push, which reports it).
  if (plan.build.kind === 'build' && plan.action.kind === 'push') void settled(ctx.session().login());
  if (plan.build.kind === 'build') await ctx.build();
  const placed = await placeContent(ctx, plan.action, progress);
  const moved = await moveTags(ctx, placed.digest, progress, placed.tags);
  const outcome = placed.outcome ?? (moved.moved ? 'retagged' : 'skipped');
  return { digest: placed.digest, outcome, transferMs: placed.transferMs, latestKept: moved.latestKept, scan: placed.scan };
}

/** The content tag on its digest in the repository: already there, promoted from another repository, or pushed. */
async function placeContent(
  ctx: ApplyContext,
  action: PushAction,
  progress: Progress,
): Promise<{ digest: string; outcome?: PushOutcome; transferMs?: number; tags?: string[]; scan?: ScanVerdict }> {
  // The scan gate judges the image before any tag that matters moves, and throws to stop the delivery.
  // The lookup of this run read the image's tags: moving the others needs no second look.
  if (action.kind === 'retag') {
    return { digest: action.image.digest, tags: action.image.tags, scan: await ctx.gate?.({ ecr: ctx.ecr, ...action.image }) };
  }
  const session = ctx.session();
  const started = Date.now();
  if (action.kind === 'promote') {
    // The source is judged where it was scanned, before a byte reaches the target.
    const from = ctx.source;
    const scan = await ctx.gate?.({ ...action.source, ecr: from?.ecr ?? ctx.ecr, registryId: from?.registryId });
    const source = from && {
      ecr: from.ecr,
      registryId: from.registryId,
      auth: (fresh?: boolean) => (fresh ? from.session().relogin(from.registryId) : from.session().login(from.registryId)),
    };
    const copied = await copyImage(
      { ecr: ctx.ecr, auth: (fresh) => (fresh ? session.relogin() : session.login()), source, fetch: ctx.fetch, signal: ctx.signal },
      { repositoryName: action.source.repositoryName, digest: action.source.digest },
      { repositoryName: ctx.repositoryName, tag: ctx.contentTag },
    );
    progress.moved.push(ctx.contentTag);
    ctx.log(
      `Promoted ${action.source.repositoryName}@${copied.digest}: ${copied.mountedBlobs} blob(s) mounted, ` +
        `${copied.presentBlobs} present, ${copied.copiedBlobs} copied (${copied.copiedBytes} bytes).`,
    );
    return { digest: copied.digest, outcome: 'promoted', transferMs: Date.now() - started, scan };
  }
  await session.login();
  const transferMs = await tagAndPush(
    { run: ctx.run, env: session.env(), relogin: () => session.relogin(), sleep: ctx.sleep, signal: ctx.signal, log: ctx.log },
    action.localRef,
    `${ctx.repositoryUri}:${ctx.contentTag}`,
    { attempts: ctx.pushAttempts, baseDelayMs: 2_000, timeoutMs: ctx.pushTimeoutMs },
  );
  progress.moved.push(ctx.contentTag);
  const pushed = await waitForTag(ctx.ecr, ctx.repositoryName, ctx.contentTag, ctx.visible);
  // Only the content tag is in: a blocked image never gets latest or the git-sha tag.
  const scan = await ctx.gate?.({ ecr: ctx.ecr, ...pushed });
  return { digest: pushed.digest, outcome: 'pushed', transferMs, tags: pushed.tags, scan };
}

/** Every tag onto `digest`, `latest` last; `current` = the tags it carries when this run's lookup read them. */
async function moveTags(
  ctx: ApplyContext,
  digest: string,
  progress: Progress,
  current?: string[],
): Promise<{ moved: boolean; latestKept?: string }> {
  const onMoved = (tag: string) => progress.moved.push(tag);
  // One BatchGetImage for every move of this digest, and only if a tag is missing.
  const manifest = lazily(() => getManifest(ctx.ecr, ctx.repositoryName, digest)).get;
  const others = deliveryOrder(ctx.tags, ctx.contentTag, ctx.gitSha).filter((tag) => tag !== ctx.contentTag && tag !== LATEST);
  const withLatest = ctx.tags.includes(LATEST) ? [LATEST] : [];
  const all: string[] = [];
  let latestKept: string | undefined;
  try {
    all.push(...(await retag(ctx.ecr, ctx.repositoryName, digest, others, { onMoved, currentTags: current, manifest })));
    // `latest` already on this image stays there: nothing to decide, nothing to move.
    if (withLatest.length && !current?.includes(LATEST)) {
      const decision = await ctx.mayMoveLatest(digest);
      const now = current && [...current, ...all];
      if (decision.move)
        all.push(...(await retag(ctx.ecr, ctx.repositoryName, digest, withLatest, { onMoved, currentTags: now, manifest })));
      else latestKept = decision.because;
    }
  } catch (error) {
    if (!(error instanceof TagMoveError)) throw error;
    // Name everything this run moved (the content tag included) and everything still missing, `latest` too.
    const notMoved = [...new Set([...error.notMoved, ...withLatest])];
    throw new TagMoveError(ctx.repositoryName, digest, progress.moved, notMoved, error.reason);
  }
  if (all.length) ctx.log(`Moved ${all.join(', ')} to ${digest} with PutImage (no image data moved).`);
  if (latestKept) ctx.log(`Left ${LATEST} where it is: ${latestKept}.`);
  return { moved: all.length > 0, latestKept };
}
