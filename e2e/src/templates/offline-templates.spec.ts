// Every template and every aws-agent-core protocol, generated and built the documented offline way (OFFLINE=true on
// the local registry's Debian arm64 Python base) with the real engine, buildx and QEMU, then run: the container
// answers its contract's health path and one real request on its contract's port, as uid 10001 on aarch64.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { agentServiceGenerator } from 'nx-agent-ecr/src/generators/agent-service/generator';
import { serviceContract, type Protocol, type TemplateName } from 'nx-agent-ecr/src/generators/agent-service/templates';
import { waitForHttp } from '../pipeline/pipeline-harness';
import { must, sh } from '../support/docker';
import { busyboxBase, pythonBase, workspaceRoot } from '../support/toolchain';

const run = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const JSON_HEADERS = { 'Content-Type': 'application/json' };

interface Case {
  name: string;
  template: TemplateName;
  protocol: Protocol;
  libs?: string[];
  /** One request of the contract beyond the health check, and what its answer must contain. */
  request: { path: string; headers?: Record<string, string>; body: unknown; expect: RegExp };
}

const invoke = (path: string) => ({ path, body: { prompt: 'What is 2+2?' }, expect: /What is 2\+2\?/ });
const CASES: Case[] = [
  { name: 'core-http', template: 'aws-agent-core', protocol: 'http', libs: ['agent-common'], request: invoke('/invocations') },
  {
    name: 'core-mcp',
    template: 'aws-agent-core',
    protocol: 'mcp',
    request: {
      path: '/mcp',
      headers: { Accept: 'application/json, text/event-stream' },
      body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ask', arguments: { prompt: 'What is 2+2?' } } },
      expect: /"isError":\s*false.*What is 2\+2\?|What is 2\+2\?.*"isError":\s*false/,
    },
  },
  {
    name: 'core-a2a',
    template: 'aws-agent-core',
    protocol: 'a2a',
    request: {
      path: '/',
      body: {
        jsonrpc: '2.0',
        id: 1,
        method: 'SendMessage',
        params: { message: { messageId: 'm1', role: 'ROLE_USER', parts: [{ text: 'What is 2+2?' }] } },
      },
      expect: /"role":\s*"ROLE_AGENT".*What is 2\+2\?/,
    },
  },
  { name: 'graph', template: 'langgraph', protocol: 'http', libs: ['agent-common'], request: invoke('/invoke') },
  { name: 'cortex', template: 'snowflake-cortex', protocol: 'http', request: invoke('/invoke') },
];

describe('every template builds offline for linux/arm64 and honours its contract', () => {
  const root = mkdtempSync(join(tmpdir(), 'offline-templates-'));
  const images: string[] = [];
  const containers: string[] = [];

  beforeAll(async () => {
    writeFileSync(join(root, 'nx.json'), '{}\n');
    writeFileSync(join(root, 'package.json'), '{"name": "offline-templates"}\n');
    cpSync(join(workspaceRoot, 'libs', 'agent-common'), join(root, 'libs', 'agent-common'), { recursive: true });
    const tree = new FsTree(root, false);
    for (const c of CASES) {
      await agentServiceGenerator(tree, { name: c.name, template: c.template, protocol: c.protocol, libs: c.libs ?? [], skipFormat: true });
    }
    await agentServiceGenerator(tree, { name: 'obs', template: 'langfuse', skipFormat: true });
    flushChanges(root, tree.listChanges());
  });

  afterAll(() => {
    if (containers.length) sh('docker', ['rm', '-f', ...containers]);
    if (images.length) sh('docker', ['image', 'rm', '-f', ...images]);
    rmSync(root, { recursive: true, force: true });
  });

  /** The documented offline build: build args only, no file edits. */
  function build(dockerfile: string, context: string, base: string, offline: boolean): string {
    const image = `offline-templates/${dockerfile.split('/').slice(1, -1).join('-')}:${run}`;
    const args = ['buildx', 'build', '--platform', 'linux/arm64', '--load', '--progress=plain', '--build-arg', `BASE_IMAGE=${base}`];
    if (offline) args.push('--build-arg', 'OFFLINE=true');
    must('docker', [...args, '-f', join(root, dockerfile), '-t', image, join(root, context)]);
    images.push(image);
    return image;
  }

  it.each(CASES)('$template ($protocol): builds, runs as uid 10001 on aarch64, answers health and a request', async (c) => {
    const image = build(`apps/${c.name}/Dockerfile`, c.libs?.length ? '.' : `apps/${c.name}`, pythonBase, true);
    const contract = serviceContract(c.template, c.protocol);
    const id = must('docker', ['run', '-d', '--platform', 'linux/arm64', '-p', `127.0.0.1::${contract.port}`, image]).trim();
    containers.push(id);
    const published = must('docker', ['port', id, `${contract.port}/tcp`])
      .trim()
      .split('\n')[0]
      ?.split(':')
      .pop();
    const base = `http://127.0.0.1:${published}`;

    const health = await waitForHttp(`${base}${contract.healthPath}`, 180_000);
    expect(health.status).toBe(200);
    const answer = await fetch(`${base}${c.request.path}`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...c.request.headers },
      body: JSON.stringify(c.request.body),
      signal: AbortSignal.timeout(60_000),
    });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toMatch(c.request.expect);
    expect(must('docker', ['exec', id, 'python', '-c', 'import os, platform; print(os.getuid(), platform.machine())']).trim()).toBe(
      '10001 aarch64',
    );
  });

  it('langfuse: web and worker Dockerfiles build on another reachable base (offline: busybox), with their ports, non-root', () => {
    for (const [dockerfile, port] of [
      ['apps/obs/Dockerfile', '3000'],
      ['apps/obs/worker/Dockerfile', '3030'],
    ] as const) {
      const image = build(dockerfile, dockerfile.replace(/\/Dockerfile$/, ''), busyboxBase, false);
      const config = JSON.parse(must('docker', ['image', 'inspect', image]))[0] as {
        Architecture: string;
        Config: { User: string; ExposedPorts: Record<string, unknown>; Env: string[] };
      };
      expect(config.Architecture).toBe('arm64');
      expect(config.Config.User).toBe('1001:1001');
      expect(Object.keys(config.Config.ExposedPorts)).toEqual([`${port}/tcp`]);
      expect(config.Config.Env).toContain(`PORT=${port}`);
    }
  });
});
