// The image a deploy rolls out: read from this run's ecr-push.json, and refused when the record cannot be from
// this run. The push record is the authority: ecr-push recomputes the content tag from the sources on every run
// (building only when nobody holds it), and replaces its record with "in-progress" before it changes anything and
// with a failure record when it fails. So, cheaply, without hashing or AWS calls:
//   - the record is a successful push (not a dry run, not a failed or unfinished run) of a sha256 digest;
//   - to the repository this deploy's environment names (a -c dev record never deploys to prod);
//   - of a content tag, for the platforms it lists;
//   - at the commit HEAD names now (the record's gitSha is a prefix of HEAD's full sha).
import { relative } from 'node:path';
import { CONTENT_TAG_PATTERN } from '../content/content-tag';
import { UserError } from '../errors';
import { ecrPushRecordPath, isFailureRecord, readEcrPushRecord } from '../records/ecr-push-record';

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const DEPLOYABLE = new Set(['pushed', 'retagged', 'promoted', 'skipped']);

export interface PushedImage {
  repositoryName: string;
  repositoryUri: string;
  digest: string;
  /** `<repositoryUri>@sha256:…`: what task definitions and runtimes reference, never a tag. */
  imageRef: string;
  contentTag: string;
  gitSha?: string;
  /** ECR's push time: a scan on push that has not started this soon after it is still to come (the scan gate). */
  pushedAt?: Date;
  /** The platforms the image was built for (the push record's): a task definition must ask for one of them. */
  platforms: string[];
}

export interface PushedImageQuery {
  workspaceRoot: string;
  projectRoot: string;
  project: string;
  /** The repository this deploy's naming resolves to. */
  repositoryName: string;
  environment: string;
  /** `git rev-parse HEAD`, or undefined outside a git checkout (the commit check is then skipped). */
  head?: string;
}

/** Reads and checks the push record; every refusal is one line that says which run to repeat. */
export async function readPushedImage(q: PushedImageQuery): Promise<PushedImage> {
  const file = relative(q.workspaceRoot, ecrPushRecordPath(q.workspaceRoot, q.projectRoot));
  const rerun = `run \`nx run ${q.project}:ecr-push -c ${q.environment}\` (deploy's dependsOn does) and deploy again`;
  const record = await readEcrPushRecord(q.workspaceRoot, q.projectRoot, rerun).catch(asUserError);
  if (!record) throw new UserError(`No push record at ${file}: ${rerun}.`);
  if (isFailureRecord(record)) {
    const what =
      record.outcome === 'failed'
        ? `a push that failed${record.error ? ` (${record.error})` : ''}`
        : 'a push that did not finish (killed or still running)';
    throw new UserError(`${file} records ${what}: ${rerun}.`);
  }
  if (!DEPLOYABLE.has(String(record.outcome))) {
    const what =
      record.outcome === 'dry-run'
        ? 'a dry run, which pushed nothing'
        : `a push that did not succeed (outcome "${String(record.outcome)}")`;
    throw new UserError(`${file} records ${what}: ${rerun}.`);
  }
  if (!DIGEST.test(record.digest) || !record.repositoryUri) {
    throw new UserError(`${file} has no repositoryUri and sha256 digest: ${rerun}.`);
  }
  if (record.repositoryName !== q.repositoryName) {
    throw new UserError(
      `${file} is for repository ${record.repositoryName}, but this deploy (environment ${q.environment}) uses ${q.repositoryName}: ` +
        `${rerun}, or set repositoryName on the deploy target as on ecr-push.`,
    );
  }
  const contentTag = record.contentTag ?? record.tags.find((tag) => CONTENT_TAG_PATTERN.test(tag));
  if (!contentTag || !record.platforms?.length) {
    throw new UserError(`${file} names no content tag and platforms (an older nx-agent-ecr wrote it): ${rerun}.`);
  }
  if (q.head && !(record.gitSha && q.head.startsWith(record.gitSha))) {
    throw new UserError(
      `${file} was written at commit ${record.gitSha ?? '(none recorded)'}, but the workspace is at ${q.head.slice(0, 12)}: ${rerun}.`,
    );
  }
  return {
    repositoryName: record.repositoryName,
    repositoryUri: record.repositoryUri,
    digest: record.digest,
    imageRef: `${record.repositoryUri}@${record.digest}`,
    contentTag,
    platforms: record.platforms,
    ...(record.gitSha ? { gitSha: record.gitSha } : {}),
    ...(Number.isNaN(Date.parse(record.pushedAt)) ? {} : { pushedAt: new Date(record.pushedAt) }),
  };
}

/** A malformed record is the user's to fix (the reader's message names the file and the run to repeat). */
function asUserError(error: unknown): never {
  throw new UserError(error instanceof Error ? error.message : String(error));
}
