// The steps both deploy executors take the same way, in this order: this run's image from the push record (no AWS
// call, so a refusal comes first), then the task's AWS ports, STS, the placeholder values the answers give, and the
// scan gate on the digest before any write.
import type { AwsPorts } from '../aws/clients';
import { logger } from '@nx/devkit';
import { checkCredentials, describeCredentialSource } from '../aws/credentials';
import { scanGate } from '../ecr/scan-gate';
import { runProcess, withSignal, type ProcessRunner } from '../process';
import type { DeployTarget } from './deploy-target';
import { workspaceHead } from './deploy-target';
import type { DeployProgress, DeployTaskDeps } from './deploy-task';
import type { PlaceholderValues } from './placeholders';
import { readPushedImage, type PushedImage } from './pushed-image';

/** What a deploy executor is given: the task frame's deps, git, and a clock for the waits (tests replace both). */
export interface DeployDeps extends DeployTaskDeps {
  run: ProcessRunner;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export const defaultDeployDeps = (): DeployDeps => ({ run: runProcess, env: process.env });

/** This run's image (recorded in `facts` for deploy.json), and the commit HEAD names, for other projects' records. */
export async function thisRunsImage(
  target: DeployTarget,
  deps: DeployDeps,
  { signal, facts }: DeployProgress,
): Promise<{ image: PushedImage; head?: string }> {
  const head = await workspaceHead(withSignal(deps.run, signal), target.workspaceRoot);
  const image = await readPushedImage({ ...target, ...target.naming, head });
  Object.assign(facts, { image: image.imageRef, digest: image.digest });
  return { image, head };
}

/** The task's ports (its signal, the scope's clients), the STS identity, and the values `{{…}}` placeholders take. */
export async function awsForDeploy(
  target: DeployTarget,
  image: PushedImage,
  deps: DeployDeps,
  { signal, scope, facts }: DeployProgress,
): Promise<{ ports: AwsPorts; values: PlaceholderValues }> {
  const ports = scope.aws({ region: target.region, profile: target.profile, maxAttempts: target.maxAwsAttempts }, signal);
  const identity = await checkCredentials(ports.sts, describeCredentialSource(target.profile, deps.env));
  const { projectName, environment, service } = target.naming;
  const values = { accountId: identity.account, region: await ports.region(), projectName, environment, service, image: image.imageRef };
  if (target.scanGate && !target.dryRun) {
    // Before any AWS write: a digest whose scan finds what failOnSeverity forbids is never deployed.
    // pushedAt: a deploy right after the push may find the scan on push not started yet, which is not "no scan".
    const scanned = { ecr: ports.ecr, repositoryName: image.repositoryName, digest: image.digest, pushedAt: image.pushedAt };
    const verdict = await scanGate(scanned, target.scanGate, { signal, sleep: deps.sleep, now: deps.now });
    logger.info(verdict.line);
    facts.scan = { status: verdict.status, counts: verdict.counts, threshold: verdict.threshold };
  }
  return { ports, values };
}
