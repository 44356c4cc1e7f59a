// The run planner of an ecr-push batch (one process for every ecr-push task of an Nx run): before any task delivers,
// it asks what all their plans need at once — content tags and the git sha; while it hashes, the caller identity once
// per AWS target and the repositories in one DescribeRepositories per 100; then where each content lives, with one
// lookup per repository. The tasks then find those answers in the run scope, so an unchanged service costs no
// further call; an answer the planner could not get (a lookup failed) is asked again by its task, which reports it.
import type { BatchTask } from '../../lib/task/batch';
import type { RunScope } from '../../lib/task/run-scope';
import { withSignal } from '../../lib/process';
import { settled } from '../../lib/task/settled';
import type { EcrPushDeps } from './executor';
import { presenceQuery, scopeBaseDigests, scopeMachine, sourceFacts, verifiedIdentity } from './facts';
import { preparePush, type PreparedPush } from './prepare';
import type { EcrPushExecutorSchema } from './schema';

/** Content tags hashed at once: the hashing reads files and the disk overlaps with the CPU. */
const HASHING_CONCURRENCY = 4;

export async function planRun(tasks: BatchTask<EcrPushExecutorSchema>[], scope: RunScope, deps: EcrPushDeps): Promise<void> {
  // A task whose options are wrong is left out: it fails on its own, in one line, when it runs.
  const prepared = tasks.flatMap(({ options, context }) => {
    try {
      return [preparePush(options, context, deps.env)];
    } catch {
      return [];
    }
  });
  const run = withSignal(deps.run, scope.signal);
  const byTarget = new Map<string, PreparedPush[]>();
  for (const p of prepared) byTarget.set(JSON.stringify(p.aws), [...(byTarget.get(JSON.stringify(p.aws)) ?? []), p]);
  // STS and the repositories while the content is hashed (neither needs a content tag); the machine read while the
  // lookups run (one reading per builder for the run): whatever changed is built next, and a run that builds nothing
  // spent three docker commands on it.
  const described = new Map<PreparedPush[], Promise<void>>();
  for (const group of byTarget.values()) {
    const first = group[0] as PreparedPush;
    void verifiedIdentity(scope, first, deps.env).catch(() => undefined);
    described.set(group, settled(scope.repositories(first.aws).describeAll(group.map((p) => p.push.naming.repositoryName))));
  }
  for (const p of prepared)
    void scopeMachine(scope, p, withSignal(deps.run, scope.signal, p.push.commandTimeoutMs))?.().catch(() => undefined);
  const tags = await mapLimit(prepared, HASHING_CONCURRENCY, (p) => {
    const baseDigest = scopeBaseDigests(scope, p, run, { env: deps.env, fetch: deps.fetch, signal: scope.signal });
    return sourceFacts(p, { run, once: scope.once, baseDigest }).then((f) => f.contentTag);
  });
  await Promise.all(
    [...byTarget.values()].map(async (group) => {
      const { aws } = group[0] as PreparedPush;
      const repositories = scope.repositories(aws);
      await described.get(group);
      const queries = await Promise.all(
        group.map(async (p) => {
          const contentTag = tags.get(p);
          const repositoryUri = (await repositories.describe(p.push.naming.repositoryName))?.repositoryUri;
          return contentTag ? [presenceQuery(p, contentTag, repositoryUri)] : [];
        }),
      );
      await scope.presence(aws).locateAll(queries.flat());
    }),
  );
}

/** `fn` over `items`, at most `limit` at once; the results that succeeded, by item. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<Map<T, R>> {
  const results = new Map<T, R>();
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item).then(
        (result) => results.set(item, result),
        () => undefined,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
