// Carries out a PushAction: retag in place, promote registry to registry, or docker push — each ending with every
// tag on one digest (PutImage of the same manifest, so `latest` and the git-sha tag can never disagree).
import type { EcrPort } from '../../lib/aws/clients';
import { findImageByTag, retag } from '../../lib/ecr/images';
import { UserError } from '../../lib/errors';
import type { ProcessRunner } from '../../lib/process';
import { copyImage } from '../../lib/ecr/registry-copy';
import type { ScannedImage, ScanVerdict } from '../../lib/ecr/scan-gate';
import type { DockerLoginSession } from '../../lib/ecr/registry-login';
import type { PushOutcome } from '../../lib/records/ecr-push-record';
import type { PushAction } from './plan';
import { tagAndPush } from './push-image';

export interface ApplyContext {
  ecr: EcrPort;
  run: ProcessRunner;
  /** Created lazily: a retag needs no login and no docker. */
  session: () => DockerLoginSession;
  repositoryName: string;
  repositoryUri: string;
  contentTag: string;
  tags: string[];
  pushAttempts: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  log: (line: string) => void;
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
  scan?: ScanVerdict;
}

export async function applyAction(ctx: ApplyContext, action: PushAction): Promise<Applied> {
  const others = ctx.tags.filter((tag) => tag !== ctx.contentTag);
  if (action.kind === 'retag') {
    const scan = await ctx.gate?.({ ecr: ctx.ecr, ...action.image });
    const moved = await retag(ctx.ecr, ctx.repositoryName, action.image.digest, others);
    if (moved.length) ctx.log(`Moved ${moved.join(', ')} to ${action.image.digest} with PutImage (no image data moved).`);
    return { digest: action.image.digest, outcome: moved.length ? 'retagged' : 'skipped', scan };
  }
  if (action.kind === 'promote') {
    // The source is judged where it was scanned, before a byte reaches the target.
    const from = ctx.source;
    const scan = await ctx.gate?.({ ...action.source, ecr: from?.ecr ?? ctx.ecr, registryId: from?.registryId });
    const session = ctx.session();
    const started = Date.now();
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
    ctx.log(
      `Promoted ${action.source.repositoryName}@${copied.digest}: ` +
        `${copied.mountedBlobs} blob(s) mounted, ` +
        `${copied.presentBlobs} present, ${copied.copiedBlobs} copied (${copied.copiedBytes} bytes).`,
    );
    await retag(ctx.ecr, ctx.repositoryName, copied.digest, others);
    return { digest: copied.digest, outcome: 'promoted', transferMs: Date.now() - started, scan };
  }
  const session = ctx.session();
  await session.login();
  const remoteRef = `${ctx.repositoryUri}:${ctx.contentTag}`;
  const transferMs = await tagAndPush(
    { run: ctx.run, env: session.env(), relogin: () => session.relogin(), sleep: ctx.sleep, signal: ctx.signal, log: ctx.log },
    action.localRef,
    remoteRef,
    { attempts: ctx.pushAttempts, baseDelayMs: 2_000 },
  );
  const pushed = await findImageByTag(ctx.ecr, ctx.repositoryName, ctx.contentTag);
  if (!pushed) throw new UserError(`docker push of ${remoteRef} succeeded but ECR does not list ${ctx.contentTag}.`);
  // Only the content tag is in: a blocked image never gets latest or the git-sha tag.
  const scan = await ctx.gate?.({ ecr: ctx.ecr, ...pushed });
  await retag(ctx.ecr, ctx.repositoryName, pushed.digest, others);
  return { digest: pushed.digest, outcome: 'pushed', transferMs, scan };
}
