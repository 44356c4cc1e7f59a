// docker-run against a scripted docker CLI and a scripted HTTP service: what it runs, what it decides, and that the
// container is removed whatever happens.
import { logger, type ExecutorContext } from '@nx/devkit';
import { EventEmitter } from 'node:events';
import { serviceContract } from '../../generators/agent-service/templates';
import type { ProcessRunner, RunResult } from '../../lib/process';
import type { BuildRecord } from '../../lib/records/build-record';
import { createRunScope } from '../../lib/task/run-scope';
import { dockerRunExecutor, type DockerRunDeps } from './executor';
import type { DockerRunExecutorSchema } from './schema';

type Script = Record<string, Partial<RunResult> | (() => Partial<RunResult>)>;
type Route = { status: number; body: unknown } | Error;

const RECORD: BuildRecord = {
  project: 'svc',
  imageName: 'svc',
  localTags: ['svc:content-abc', 'svc:latest'],
  contentTag: 'content-abc',
  platforms: ['linux/arm64'],
  built: true,
  createdAt: '2026-01-01T00:00:00.000Z',
};
const IMAGE = { Os: 'linux', Architecture: 'arm64', Size: 240_000_000, Config: { User: '10001:10001' } };
const RUNNING = { Status: 'running', Running: true, ExitCode: 0, OOMKilled: false, Error: '' };
const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });

let calls: string[];
let script: Script;
let routes: Record<string, Route>;
let logs: string[];
let signals: EventEmitter;
let clock: number;

beforeEach(() => {
  calls = [];
  clock = 0;
  signals = new EventEmitter();
  script = {
    'docker version': { stdout: '27.5.1' },
    'docker image inspect': { stdout: JSON.stringify(IMAGE) },
    'docker port': { stdout: '127.0.0.1:40123' },
    'docker container inspect': { stdout: JSON.stringify(RUNNING) },
    'docker logs': { stdout: 'INFO started\nERROR boom' },
  };
  routes = {
    'GET /ping': { status: 200, body: { status: 'Healthy', time_of_last_update: 1 } },
    'POST /invocations': { status: 200, body: { response: '[stub] hi', backend: 'stub' } },
  };
  logs = [];
  for (const level of ['info', 'warn', 'error'] as const) {
    jest.spyOn(logger, level).mockImplementation((...message: unknown[]) => void logs.push(`${level}: ${message.map(String).join(' ')}`));
  }
});
afterEach(() => jest.restoreAllMocks());

const run: ProcessRunner = async (file, args) => {
  const command = [file, ...args].join(' ');
  calls.push(command);
  const entry = Object.entries(script).find(([prefix]) => command.startsWith(prefix))?.[1] ?? {};
  const answer = typeof entry === 'function' ? entry() : entry;
  return { command, exitCode: 0, stdout: '', stderr: '', canceled: false, durationMs: 1, ...answer };
};

function deps(change: Partial<DockerRunDeps> = {}): DockerRunDeps {
  return {
    run,
    fetch: async (url, init) => {
      const route = routes[`${init.method} ${new URL(url).pathname}`] ?? { status: 404, body: { detail: 'Not Found' } };
      if (route instanceof Error) throw route;
      return new Response(JSON.stringify(route.body), { status: route.status, headers: { 'content-type': 'application/json' } });
    },
    machine: { hostArch: 'x64', binfmtRegistered: () => true },
    readBuild: async () => RECORD,
    unique: () => 'u1',
    sleep: async (ms) => void (clock += ms),
    now: () => clock,
    newScope: () => createRunScope({ signals }),
    ...change,
  };
}

const context = (metadata: Record<string, unknown> = { contract: serviceContract('aws-agent-core', 'http') }): ExecutorContext => ({
  root: '/ws',
  cwd: '/ws',
  isVerbose: false,
  projectName: 'svc',
  projectsConfigurations: { version: 2, projects: { svc: { root: 'apps/svc', metadata } } },
  nxJsonConfiguration: {},
  projectGraph: { nodes: {}, dependencies: {} },
});

const check = (options: DockerRunExecutorSchema = { env: { AGENT_BACKEND: 'stub' } }, change?: Partial<DockerRunDeps>, ctx = context()) =>
  dockerRunExecutor(options, ctx, deps(change));
const NAME = 'nx-agent-ecr-check-svc-u1';
const dockerRun = () => calls.find((c) => c.startsWith('docker run'));
const removed = () => calls.filter((c) => c === `docker rm --force --volumes ${NAME}`).length;
const errorLines = () => logs.filter((l) => l.startsWith('error:'));

describe('docker-run', () => {
  it('passes a generated AgentCore service: inspect, run for linux/arm64 on a loopback port, /ping and /invocations, then remove', async () => {
    expect(await check()).toEqual({ success: true });
    expect(dockerRun()).toBe(
      `docker run --detach --pull never --platform linux/arm64 --name ${NAME} --label nx-agent-ecr.contract-check=svc ` +
        `--publish 127.0.0.1::8080 --env AGENT_BACKEND=stub svc:content-abc`,
    );
    expect(calls.indexOf(`docker image inspect --format {{json .}} svc:content-abc`)).toBeLessThan(calls.indexOf(dockerRun() ?? ''));
    expect(calls.at(-1)).toBe(`docker rm --force --volumes ${NAME}`);
    expect(logs).toEqual([
      'info: Contract check of svc passed: platform (linux/arm64), user (user 10001:10001), size (240 MB ≤ the 1000 MB limit), ' +
        'health (GET /ping 2xx after 0.0s), GET /ping (HTTP 200), POST /invocations (HTTP 200).',
    ]);
  });

  it('waits for health through refused connections while the container runs', async () => {
    let attempts = 0;
    const ping = routes['GET /ping'];
    const fetchFn = deps().fetch;
    const flaky: DockerRunDeps['fetch'] = async (url, init) =>
      new URL(url).pathname === '/ping' && ++attempts < 4 ? Promise.reject(refused()) : fetchFn(url, init);
    routes['GET /ping'] = ping as Route;
    expect(await check(undefined, { fetch: flaky })).toEqual({ success: true });
    expect(logs[0]).toContain('health (GET /ping 2xx after 3.0s)');
  });

  it('a /ping answering another status fails in one line naming GET /ping, and the container is removed', async () => {
    routes['GET /ping'] = { status: 200, body: { status: 'Unhealthy' } };
    expect(await check()).toEqual({ success: false });
    expect(errorLines()).toEqual([
      'error: Contract check of svc failed: GET /ping — "status" is "Unhealthy", expected Healthy or HealthyBusy.',
    ]);
    expect(removed()).toBe(1);
  });

  it('an image without USER fails the user clause, and the other clauses are still checked', async () => {
    script['docker image inspect'] = { stdout: JSON.stringify({ ...IMAGE, Config: { User: '' } }) };
    routes['POST /invocations'] = { status: 500, body: { error: 'agent_error' } };
    expect(await check()).toEqual({ success: false });
    expect(errorLines()[0]).toBe(
      'error: Contract check of svc failed: user — runs as root (the image sets no USER): add a non-root user and USER 10001:10001 ' +
        'to the Dockerfile; POST /invocations — answered HTTP 500: {"error":"agent_error"}.',
    );
  });

  it("an image over the contract's 1 GB fails the size clause; maxImageSizeMB overrides the limit", async () => {
    script['docker image inspect'] = { stdout: JSON.stringify({ ...IMAGE, Size: 1_200_000_000 }) };
    expect(await check()).toEqual({ success: false });
    expect(errorLines()[0]).toMatch(/failed: size — 1200 MB > the 1000 MB limit: make the image smaller/);
    logs.length = 0;
    expect(await check({ maxImageSizeMB: 2000 })).toEqual({ success: true });
  });

  it('a container that exits fails the start clause with its exit code and shows its last output; it is removed', async () => {
    routes['GET /ping'] = refused();
    script['docker container inspect'] = { stdout: JSON.stringify({ ...RUNNING, Status: 'exited', Running: false, ExitCode: 3 }) };
    expect(await check()).toEqual({ success: false });
    expect(errorLines()).toEqual([
      'error: Contract check of svc failed: start — the container exited with code 3 before it became healthy.',
      'error: Last container output:\n  INFO started\n  ERROR boom',
    ]);
    expect(calls.some((c) => c.startsWith('docker logs --tail 20'))).toBe(true);
    expect(removed()).toBe(1);
  });

  it('an arm64 image that cannot execute says the emulation is missing', async () => {
    routes['GET /ping'] = refused();
    script['docker container inspect'] = { stdout: JSON.stringify({ ...RUNNING, Running: false, ExitCode: 255 }) };
    script['docker logs'] = { stdout: 'exec /opt/venv/bin/python: exec format error' };
    expect(await check()).toEqual({ success: false });
    expect(errorLines()[0]).toMatch(
      /start — the container exited with code 255 .*\(exec format error: linux\/arm64 emulation is missing\)/,
    );
  });

  it('a health path that never answers fails the health clause at the deadline, with what the last attempt met', async () => {
    routes['GET /ping'] = { status: 503, body: {} };
    expect(await check({ startTimeoutSeconds: 5 })).toEqual({ success: false });
    expect(errorLines()[0]).toBe(
      'error: Contract check of svc failed: health — GET /ping did not answer 2xx within 5s (last: HTTP 503); raise startTimeoutSeconds if it starts slowly.',
    );
    expect(clock).toBe(5_000);
    expect(removed()).toBe(1);
  });

  it('Ctrl-C during the health wait cancels the check and still removes the container', async () => {
    routes['GET /ping'] = { status: 503, body: {} };
    const cancelled = check(undefined, { sleep: () => new Promise((resolve) => setTimeout(resolve, 5)) });
    setTimeout(() => signals.emit('SIGINT'), 20);
    expect(await cancelled).toEqual({ success: false });
    expect(errorLines()).toEqual(['error: Contract check of svc canceled; its container was removed.']);
    expect(removed()).toBe(1);
  });

  it('a named USER is asked for its uid inside the running container', async () => {
    script['docker image inspect'] = { stdout: JSON.stringify({ ...IMAGE, Config: { User: 'agent' } }) };
    script['docker exec'] = { stdout: '0\n' };
    expect(await check()).toEqual({ success: false });
    expect(calls).toContain(`docker exec ${NAME} id -u`);
    expect(errorLines()[0]).toBe('error: Contract check of svc failed: user — USER "agent" is uid 0 (root): give it a non-zero uid.');
  });

  it('checks platform, user and size only: nothing is started (a service that needs its databases to start)', async () => {
    expect(await check({ checks: ['platform', 'user', 'size'] }, undefined, context({}))).toEqual({ success: true });
    expect(calls.filter((c) => c.startsWith('docker run') || c.startsWith('docker rm'))).toEqual([]);
    expect(logs[0]).toBe('info: Contract check of svc passed: platform (linux/arm64), user (user 10001:10001), size (240 MB).');
  });

  it('an amd64 image checked as linux/arm64 fails the platform clause', async () => {
    script['docker image inspect'] = { stdout: JSON.stringify({ ...IMAGE, Architecture: 'amd64' }) };
    expect(await check({ checks: ['platform'] })).toEqual({ success: false });
    expect(errorLines()[0]).toMatch(/platform — the image is linux\/amd64, not linux\/arm64/);
  });

  it('runs the image and platform given as options instead of the build record', async () => {
    expect(await check({ image: 'other:1', platform: 'linux/arm64/v8' }, { readBuild: async () => undefined })).toEqual({ success: true });
    expect(dockerRun()).toMatch(/--platform linux\/arm64\/v8 .* other:1$/);
  });

  it('never passes AWS credentials of its own environment to the container', async () => {
    process.env['AWS_SECRET_ACCESS_KEY'] = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    try {
      expect(await check()).toEqual({ success: true });
      expect(calls.join('\n')).not.toMatch(/AWS_|wJalrXUtnFEMI/);
    } finally {
      delete process.env['AWS_SECRET_ACCESS_KEY'];
    }
  });
});

describe('docker-run refuses before touching the engine', () => {
  test.each<[string, DockerRunExecutorSchema, ExecutorContext, RegExp]>([
    ['a secret-looking env name', { env: { LANGFUSE_SECRET_KEY: 'sk-1' } }, context(), /env: "LANGFUSE_SECRET_KEY" looks like a secret/],
    ['no contract to run against', {}, context({}), /svc has no contract to check .*set checks to platform, user, size/],
    [
      'a contract with a bad port',
      { contract: { port: 0, healthPath: '/ping', endpoints: [] } },
      context(),
      /contract of svc is invalid: port 0/,
    ],
    ['a platform that is not os/arch', { platform: 'arm64' }, context(), /platform "arm64" is not os\/arch\[\/variant\]/],
    ['an empty clause list', { checks: [] }, context(), /checks is empty for svc/],
  ])('%s', async (_name, options, ctx, message) => {
    expect(await dockerRunExecutor(options, ctx, deps())).toEqual({ success: false });
    expect(errorLines()).toEqual([expect.stringMatching(message)]);
    expect(calls).toEqual([]);
  });

  it('an image the engine does not hold: one line, nothing started', async () => {
    script['docker image inspect'] = { exitCode: 1, stderr: 'Error: No such image: svc:content-abc' };
    expect(await check()).toEqual({ success: false });
    expect(errorLines()).toEqual([
      'error: Image svc:content-abc is not in the local engine: build it (nx run svc:docker-build) or pass --image with a local image.',
    ]);
    expect(dockerRun()).toBeUndefined();
  });

  it('a build docker-build skipped because ECR holds it: says where it is and how to check it', async () => {
    const skipped = {
      ...RECORD,
      built: false,
      existing: { repositoryUri: '1.dkr.ecr.eu-west-1.amazonaws.com/x', digest: 'sha256:d', foundIn: 'target' },
    };
    script['docker image inspect'] = { exitCode: 1, stderr: 'Error: No such image' };
    expect(await check(undefined, { readBuild: async () => skipped })).toEqual({ success: false });
    expect(errorLines()[0]).toMatch(
      /skipped the build because ECR holds it \(1\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/x@sha256:d\)\. Pull it/,
    );
  });

  it('no arm64 emulation on an x86 host: one line with the fix, before docker run', async () => {
    expect(await check(undefined, { machine: { hostArch: 'x64', binfmtRegistered: () => false } })).toEqual({ success: false });
    expect(errorLines()).toEqual([
      expect.stringMatching(/^error: Cannot run linux\/arm64 containers on this amd64 host: no arm64 emulation .*tonistiigi\/binfmt/),
    ]);
    expect(dockerRun()).toBeUndefined();
  });
});
