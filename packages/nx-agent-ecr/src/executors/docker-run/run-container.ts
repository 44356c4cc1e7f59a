// The running part of a contract check: start the image, wait for its health path with a deadline, exercise the
// contract's endpoints (and ask a named USER for its uid), then always remove the container.
import { CheckContainer, type ContainerState } from '../../lib/docker/container';
import type { Contract } from '../../lib/contract/contract';
import { networkProblem, requestEndpoint, type FetchLike } from '../../lib/contract/http-probe';
import { answerProblem, userFromId, type ClauseResult } from '../../lib/contract/judge';
import type { ProcessRunner } from '../../lib/process';
import { pollUntil } from '../../lib/task/poll';

export interface RunCheckDeps {
  /** Bound to the task's signal: Ctrl-C stops the waits and the docker calls in flight. */
  run: ProcessRunner;
  /** Not bound to it: the container is removed after a Ctrl-C too. */
  cleanupRun: ProcessRunner;
  fetch: FetchLike;
  signal: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export interface RunPlan {
  image: string;
  platform: string;
  name: string;
  contract: Contract;
  env: Record<string, string>;
  labels: Record<string, string>;
  checkEndpoints: boolean;
  /** Config.User when it is a name: its uid is asked inside the running container. */
  namedUser?: string;
  startTimeoutMs: number;
  requestTimeoutMs: number;
}

export interface RunOutcome {
  results: ClauseResult[];
  /** The container's last lines when it did not start or never became healthy. */
  logs: string[];
}

type HealthSeen = { kind: 'healthy' | 'exited' | 'waiting'; detail: string };

const EXEC_FORMAT = /exec format error/i;

export async function checkRunningContainer(deps: RunCheckDeps, plan: RunPlan): Promise<RunOutcome> {
  const container = new CheckContainer(deps.run, plan.name);
  const results: ClauseResult[] = [];
  let logs: string[] = [];
  try {
    await container.start({
      image: plan.image,
      platform: plan.platform,
      containerPort: plan.contract.port,
      env: plan.env,
      labels: plan.labels,
    });
    const base = `http://127.0.0.1:${await container.publishedPort(plan.contract.port)}`;
    const health = await waitHealthy(deps, container, base, plan);
    results.push(health);
    if (!health.ok) {
      logs = await container.logs();
      if (logs.some((line) => EXEC_FORMAT.test(line))) health.detail += ` (exec format error: ${plan.platform} emulation is missing)`;
      return { results, logs };
    }
    if (plan.namedUser !== undefined) {
      const id = await container.exec(['id', '-u']);
      results.push(userFromId(plan.namedUser, id.exitCode, id.stdout));
    }
    if (plan.checkEndpoints) results.push(...(await checkEndpoints(deps, base, plan)));
    return { results, logs };
  } finally {
    await new CheckContainer(deps.cleanupRun, plan.name).remove();
  }
}

async function waitHealthy(deps: RunCheckDeps, container: CheckContainer, base: string, plan: RunPlan): Promise<ClauseResult> {
  const path = plan.contract.healthPath;
  const observe = async (): Promise<{ done: boolean; value: HealthSeen }> => {
    try {
      const answer = await requestEndpoint(deps.fetch, base, { method: 'GET', path }, plan.requestTimeoutMs, deps.signal);
      if (answer.status >= 200 && answer.status < 300) return { done: true, value: { kind: 'healthy', detail: '' } };
      return { done: false, value: { kind: 'waiting', detail: `HTTP ${answer.status}` } };
    } catch (error) {
      deps.signal.throwIfAborted();
      const state = await container.state();
      if (!state?.running) return { done: true, value: { kind: 'exited', detail: exitDetail(state) } };
      return { done: false, value: { kind: 'waiting', detail: networkProblem(error, plan.requestTimeoutMs) } };
    }
  };
  const polled = await pollUntil(observe, {
    timeoutMs: plan.startTimeoutMs,
    intervalMs: 1_000,
    signal: deps.signal,
    sleep: deps.sleep,
    now: deps.now,
  });
  const seconds = (polled.elapsedMs / 1000).toFixed(1);
  if (polled.value.kind === 'healthy') return { clause: 'health', ok: true, detail: `GET ${path} 2xx after ${seconds}s` };
  if (polled.value.kind === 'exited') return { clause: 'start', ok: false, detail: polled.value.detail };
  const limit = Math.round(plan.startTimeoutMs / 1000);
  return {
    clause: 'health',
    ok: false,
    detail: `GET ${path} did not answer 2xx within ${limit}s (last: ${polled.value.detail}); raise startTimeoutSeconds if it starts slowly`,
  };
}

function exitDetail(state: ContainerState | undefined): string {
  if (!state) return 'the container disappeared before it became healthy';
  if (state.oomKilled) return 'the container was killed for lack of memory before it became healthy';
  const error = state.error ? ` (${state.error})` : '';
  return `the container exited with code ${state.exitCode} before it became healthy${error}`;
}

async function checkEndpoints(deps: RunCheckDeps, base: string, plan: RunPlan): Promise<ClauseResult[]> {
  const results: ClauseResult[] = [];
  for (const endpoint of plan.contract.endpoints.filter((e) => e.check)) {
    const clause = `${endpoint.method} ${endpoint.path}`;
    try {
      const answer = await requestEndpoint(deps.fetch, base, endpoint, plan.requestTimeoutMs, deps.signal);
      const problem = answerProblem(endpoint.check ?? {}, answer);
      results.push({ clause, ok: problem === undefined, detail: problem ?? `HTTP ${answer.status}` });
    } catch (error) {
      deps.signal.throwIfAborted();
      results.push({ clause, ok: false, detail: networkProblem(error, plan.requestTimeoutMs) });
    }
  }
  return results;
}
