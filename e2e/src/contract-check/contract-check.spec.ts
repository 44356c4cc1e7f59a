// `nx run-many -t contract-check` in a scratch copy of this workspace, with the real engine, buildx and QEMU: every
// generated service (the committed apps, and MCP and A2A agents) is built the documented offline way for linux/arm64
// and passes its contract; services with a broken /ping, a root user or an image over the limit fail with that clause.
// Every check leaves no container behind. No AWS: docker-build's ECR lookup meets a closed port and builds.
import { sh } from '../support/docker';
import { expectSuccess, ScratchWorkspace, type Ran } from '../support/scratch-workspace';
import { busyboxBase, pythonBase } from '../support/toolchain';

const run = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const LABEL = 'nx-agent-ecr.contract-check';
const PASSING = ['aws-agent-core', 'core-mcp', 'core-a2a', 'langgraph', 'snowflake-cortex', 'langfuse', 'langfuse-worker'];
const BROKEN = ['broken-ping', 'runs-as-root', 'too-large'];
/** A pull request's machine: no AWS account; docker-build's ECR lookup is refused at once and it builds. */
const NO_AWS = {
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'none',
  AWS_SECRET_ACCESS_KEY: 'none',
  AWS_PROFILE: undefined,
  AWS_EC2_METADATA_DISABLED: 'true',
};

interface ProjectJson {
  root?: string;
  targets: Record<string, { options?: Record<string, unknown> }>;
}

describe('contract-check: the built arm64 image against its contract', () => {
  let ws: ScratchWorkspace;
  const nx = (args: string[]): Promise<Ran> => ws.nx([...args, '--outputStyle=stream'], NO_AWS, 40 * 60_000);

  beforeAll(async () => {
    ws = ScratchWorkspace.create('contract-check');
    const generate = async (name: string, protocol = 'http') =>
      expectSuccess(
        await ws.nx([
          'g',
          'agent-service',
          name,
          '--template=aws-agent-core',
          `--protocol=${protocol}`,
          `--baseImage=${pythonBase}`,
          '--no-interactive',
        ]),
        `nx g agent-service ${name}`,
      );
    await generate('core-mcp', 'mcp');
    await generate('core-a2a', 'a2a');
    for (const name of BROKEN) await generate(name);

    // An ECS-style health answer where AgentCore expects {"status": "Healthy"}: a mistake the check must catch.
    const main = 'apps/broken-ping/src/app/main.py';
    ws.write(
      main,
      `${ws.read(main)}\nfrom starlette.responses import JSONResponse as _Json\nfrom starlette.routing import Route as _Route\n\n` +
        `app.router.routes.insert(0, _Route("/ping", lambda request: _Json({"status": "ok"}), methods=["GET"]))\n`,
    );
    const dockerfile = 'apps/runs-as-root/Dockerfile';
    ws.write(dockerfile, ws.read(dockerfile).replace(/^USER 10001:10001\n/m, ''));
    ws.editJson('apps/too-large/project.json', (p) => {
      (p as unknown as ProjectJson).targets['contract-check']!.options = { env: { AGENT_BACKEND: 'stub' }, maxImageSizeMB: 50 };
    });

    // The documented offline build: build args only. Image names unique to this run, on a shared engine.
    for (const name of [...PASSING, ...BROKEN]) {
      const root = name === 'langfuse-worker' ? 'apps/langfuse/worker' : `apps/${name}`;
      const langfuse = name.startsWith('langfuse');
      ws.editJson(`${root}/project.json`, (p) => {
        const build = (p as unknown as ProjectJson).targets['docker-build']!;
        build.options = {
          ...build.options,
          imageName: `cc-${run}-${name}`,
          buildArgs: langfuse ? { BASE_IMAGE: busyboxBase } : { BASE_IMAGE: pythonBase, OFFLINE: 'true' },
        };
      });
    }
    ws.commitAll('offline builds for the contract check');
  });

  afterAll(() => {
    const images = sh('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']).stdout.split('\n');
    const mine = images.filter((ref) => ref.startsWith(`cc-${run}-`));
    if (mine.length) sh('docker', ['image', 'rm', '-f', ...mine]);
    ws?.remove();
  });

  const leftovers = (project: string) => sh('docker', ['ps', '-aq', '--filter', `label=${LABEL}=${project}`]).stdout.trim();

  it('every generated service builds for linux/arm64 and passes: health, endpoints, non-root, size', async () => {
    const ran = await nx(['run-many', '-t', 'contract-check', `--projects=${PASSING.join(',')}`, '--parallel=2']);
    const output = `${ran.stdout}\n${ran.stderr}`;
    expect({ exitCode: ran.exitCode, failed: output.match(/Contract check of \S+ failed.*/g) ?? [] }).toEqual({ exitCode: 0, failed: [] });
    for (const name of ['aws-agent-core', 'core-mcp', 'core-a2a']) {
      expect(output).toMatch(
        new RegExp(
          `Contract check of ${name} passed: platform \\(linux/arm64\\), user \\(user 10001:10001\\), size \\(\\d+ MB ≤ the 1000 MB limit\\), health`,
        ),
      );
    }
    expect(output).toMatch(/Contract check of aws-agent-core passed: .*GET \/ping \(HTTP 200\), POST \/invocations \(HTTP 200\)\./);
    expect(output).toMatch(/Contract check of core-mcp passed: .*POST \/mcp \(HTTP 200\), GET \/ping \(HTTP 200\)\./);
    expect(output).toMatch(
      /Contract check of core-a2a passed: .*GET \/\.well-known\/agent-card\.json \(HTTP 200\), POST \/ \(HTTP 200\), GET \/ping/,
    );
    for (const name of ['langgraph', 'snowflake-cortex']) {
      expect(output).toMatch(new RegExp(`Contract check of ${name} passed: .*GET /health \\(HTTP 200\\), POST /invoke \\(HTTP 200\\)\\.`));
    }
    // Langfuse starts only against its databases: its images are inspected, not run.
    for (const name of ['langfuse', 'langfuse-worker']) {
      expect(output).toMatch(
        new RegExp(`Contract check of ${name} passed: platform \\(linux/arm64\\), user \\(user 1001:1001\\), size \\(\\S+ MB\\)\\.`),
      );
    }
    for (const name of PASSING) expect({ name, left: leftovers(name) }).toEqual({ name, left: '' });
  });

  it.each<[string, RegExp]>([
    ['broken-ping', /Contract check of broken-ping failed: GET \/ping — "status" is "ok", expected Healthy or HealthyBusy\./],
    ['runs-as-root', /Contract check of runs-as-root failed: user — runs as root \(the image sets no USER\): add a non-root user/],
    ['too-large', /Contract check of too-large failed: size — \d+ MB > the 50 MB limit: make the image smaller/],
  ])('%s fails with the clause that broke, in one line, and leaves no container', async (name, line) => {
    const ran = await nx(['run', `${name}:contract-check`]);
    const output = `${ran.stdout}\n${ran.stderr}`;
    expect(ran.exitCode).not.toBe(0);
    expect(output).toMatch(line);
    // Only that clause broke: the rest of the contract held.
    expect(output.match(/Contract check of \S+ failed: (.*)/)?.[1]?.split('; ')).toHaveLength(1);
    expect(leftovers(name)).toBe('');
  });
});
