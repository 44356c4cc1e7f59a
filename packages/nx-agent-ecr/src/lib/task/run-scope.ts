// What one executor process shares between the tasks it runs: an AbortSignal that Ctrl-C/SIGTERM aborts, the AWS
// SDK clients, one login session per AWS target (so one login per registry), one repository directory and presence
// lookup per target, and run-wide facts asked once (the caller identity, the git sha, content tags).
// A single task's process opens a scope for itself; a batch opens one for all of its tasks.
import { awsPorts, createAwsClients, type AwsClients, type AwsPorts, type AwsTarget } from '../aws/clients';
import { presenceLookup, type PresenceLookup } from '../ecr/presence';
import { repositoryDirectory, type RepositoryDirectory } from '../ecr/repository-directory';
import { DockerLoginSession } from '../ecr/registry-login';
import { settled } from './settled';
import { sweepOnce } from './stale-temp';
import { onTermination, type SignalHost } from './termination';

/** One task's life inside a scope: its own signal (aborted with the scope), ended when the task returns. */
export interface TaskHandle {
  readonly signal: AbortSignal;
  end(): void;
}

export interface RunScope {
  /** Aborted by SIGINT/SIGTERM while the scope is open. */
  readonly signal: AbortSignal;
  /** Starts a task: every child process and AWS call of the task carries `signal`. */
  startTask(): TaskHandle;
  /** Ports over the scope's SDK clients for `target`, bound to the task's signal. */
  aws(target: AwsTarget, signal: AbortSignal): AwsPorts;
  /** The login session for `target`'s account and region, created on first use and shared by later tasks. */
  loginSession(target: AwsTarget): DockerLoginSession;
  /** Which repositories of `target` exist, each asked once per run (a run planner asks for all at once). */
  repositories(target: AwsTarget): RepositoryDirectory;
  /** The presence lookup for `target`, shared so that a run planner can ask for every task at once. */
  presence(target: AwsTarget): PresenceLookup;
  /** A fact of the run computed once, however many tasks ask (`key` names it, e.g. the workspace's git sha); a failure is asked again by the next asker. */
  once<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** Base-image digests looked up so far (lib/docker/base-lookup.ts): "<ref> <platform>" → digest. */
  readonly baseDigests: Map<string, Promise<string>>;
  /** Secrets held by the scope's login sessions and assumed roles, so error output can be redacted. */
  secrets(): string[];
  /** Removes the login sessions' temp configs, closes the SDK clients and stops listening for signals; idempotent. */
  dispose(): void;
}

export interface RunScopeOptions {
  /** Builds the SDK clients of a target (default: lib/aws/clients.ts, the only place clients are built). */
  createClients?: (target: AwsTarget) => AwsClients;
  newSession?: (options: { ecr: AwsPorts['ecr']; signal: AbortSignal }) => DockerLoginSession;
  signals?: SignalHost;
}

/** Targets that resolve to the same clients share them: region, profile, retry budget, call deadline, role and endpoint. */
const keyOf = (target: AwsTarget) =>
  JSON.stringify([
    target.region ?? '',
    target.profile ?? '',
    target.maxAttempts ?? 0,
    target.timeoutMs ?? 0,
    target.roleArn ?? '',
    target.externalId ?? '',
    target.endpoint ?? '',
  ]);

export function createRunScope(options: RunScopeOptions = {}): RunScope {
  // What a run killed outright left behind (a login folder holds a token) goes before this one starts.
  sweepOnce();
  const controller = new AbortController();
  const stopListening = onTermination(() => controller.abort(), options.signals);
  const createClients = options.createClients ?? createAwsClients;
  const newSession = options.newSession ?? ((o) => new DockerLoginSession(o));
  const clients = new Map<string, AwsClients>();
  const sessions = new Map<string, DockerLoginSession>();
  const directories = new Map<string, RepositoryDirectory>();
  const lookups = new Map<string, PresenceLookup>();
  const facts = new Map<string, Promise<unknown>>();
  const memo = <T>(map: Map<string, T>, target: AwsTarget, make: () => T): T => {
    const key = keyOf(target);
    let value = map.get(key);
    if (value === undefined) map.set(key, (value = make()));
    return value;
  };
  const clientsFor = (target: AwsTarget) => memo(clients, target, () => createClients(target));
  // Shared services answer to the scope's signal: one task ending must not cancel another task's login.
  const shared = (target: AwsTarget) => awsPorts(clientsFor(target), controller.signal);
  return {
    signal: controller.signal,
    baseDigests: new Map(),
    startTask() {
      const task = new AbortController();
      const abort = () => task.abort(controller.signal.reason);
      if (controller.signal.aborted) abort();
      controller.signal.addEventListener('abort', abort, { once: true });
      return { signal: task.signal, end: () => controller.signal.removeEventListener('abort', abort) };
    },
    aws: (target, signal) => awsPorts(clientsFor(target), signal),
    loginSession: (target) => memo(sessions, target, () => newSession({ ecr: shared(target).ecr, signal: controller.signal })),
    repositories: (target) => memo(directories, target, () => repositoryDirectory(shared(target).ecr)),
    presence(target) {
      return memo(lookups, target, () => presenceLookup(shared(target).ecr, this.repositories(target)));
    },
    once<T>(key: string, compute: () => Promise<T>): Promise<T> {
      if (!facts.has(key)) {
        const answer = settled(compute());
        facts.set(key, answer);
        // A failed answer reaches those who asked while it ran; a later asker (the task after its planner) asks again.
        answer.catch(() => facts.get(key) === answer && facts.delete(key));
      }
      return facts.get(key) as Promise<T>;
    },
    secrets: () => [
      ...[...sessions.values()].flatMap((session) => session.secrets()),
      ...[...clients.values()].flatMap((pair) => pair.secrets?.() ?? []),
    ],
    dispose() {
      stopListening();
      for (const session of sessions.values()) session.dispose();
      sessions.clear();
      for (const set of clients.values()) set.destroy();
      clients.clear();
      lookups.clear();
      directories.clear();
      facts.clear();
    },
  };
}
