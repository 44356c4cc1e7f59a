// The agent-service generator on an in-memory workspace: target shapes, options, nx.json edits, refusals.
import { readJson, readNxJson, readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from 'nx/src/devkit-testing-exports';
import { minimatch } from 'minimatch';
import { DEPLOY_DEPENDENCY_INPUTS } from '../../lib/graph/deploy-inputs';
import { inferImageTargets } from '../../lib/graph/infer-targets';
import { EXECUTORS, IMAGE_NAMED_INPUT, recordOutput } from '../../lib/records/names';
import type { WorkspaceFiles } from '../../lib/workspace-files';
import { agentServiceGenerator } from './generator';
import { TARGET_DEFAULTS } from './nx-json';
import { IMAGE_PINS, PYTHON_PINS } from './pins';
import { RENOVATE_FILE } from './renovate';
import { serviceContainers, serviceContract, TEMPLATE_NAMES, TEMPLATES, type TemplateName } from './templates';

function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
  tree.write('libs/agent-common/pyproject.toml', '[project]\nname = "agent-common"\n');
  return tree;
}

const filesUnder = (tree: Tree, dir: string) =>
  tree
    .listChanges()
    .filter((c) => c.type !== 'DELETE' && c.path.startsWith(`${dir}/`))
    .map((c) => c.path.slice(dir.length + 1))
    .sort();

const read = (tree: Tree, path: string) => tree.read(path, 'utf-8') ?? '';

const PYTHON_FILES = [
  '.dockerignore',
  'Dockerfile',
  'README.md',
  'project.json',
  'pytest.ini',
  'requirements.txt',
  'src/app/__init__.py',
  'src/app/__main__.py',
  'src/app/agent.py',
  'src/app/contract.py',
  'src/app/main.py',
  'tests/conftest.py',
  'tests/test_agent.py',
  'tests/test_contract.py',
  'tests/test_dockerfile.py',
];

const ECS_FILE = 'deploy/ecs/task-definition.json';
const EXPECTED_FILES: Record<TemplateName, string[]> = {
  'aws-agent-core': [...PYTHON_FILES, 'src/app/runtime.py', 'src/app/runtime_standin.py', 'deploy/agentcore.json'].sort(),
  langgraph: [...PYTHON_FILES, 'src/app/tracing.py', ECS_FILE].sort(),
  'snowflake-cortex': [...PYTHON_FILES, ECS_FILE].sort(),
  langfuse: [
    '.dockerignore',
    '.env.example',
    'Dockerfile',
    'README.md',
    ECS_FILE,
    'project.json',
    'pytest.ini',
    'tests/test_dockerfile.py',
    'worker/.dockerignore',
    'worker/Dockerfile',
    'worker/project.json',
    'worker/pytest.ini',
    'worker/tests/test_dockerfile.py',
  ],
};

const DEPLOY_EXECUTORS: Record<TemplateName, string> = {
  'aws-agent-core': EXECUTORS.agentcoreDeploy,
  langgraph: EXECUTORS.ecsDeploy,
  'snowflake-cortex': EXECUTORS.ecsDeploy,
  langfuse: EXECUTORS.ecsDeploy,
};
const DEPLOY_FILES: Record<TemplateName, string> = {
  'aws-agent-core': 'deploy/agentcore.json',
  langgraph: ECS_FILE,
  'snowflake-cortex': ECS_FILE,
  langfuse: ECS_FILE,
};

const PORTS: Record<TemplateName, number> = { 'aws-agent-core': 8080, langgraph: 8001, 'snowflake-cortex': 8000, langfuse: 3000 };

/** The plugin's file port over the generator's in-memory tree, so the specs see what graph inference will infer. */
const treeFiles = (tree: Tree): WorkspaceFiles => ({
  read: (file) => (tree.exists(file) && tree.isFile(file) ? (tree.read(file, 'utf-8') ?? undefined) : undefined),
  isFile: (file) => tree.exists(file) && tree.isFile(file),
  exists: (path) => path === '' || tree.exists(path),
});

/** The inputs the plugin infers for the project's docker-build target, as workspace-relative patterns. */
function inferredBuildInputs(tree: Tree, root: string): string[] {
  const result = inferImageTargets(`${root}/project.json`, treeFiles(tree));
  const inputs = result.projects?.[root]?.targets?.['docker-build']?.inputs ?? [];
  return inputs.filter((input): input is string => typeof input === 'string').map((input) => input.replace('{workspaceRoot}/', ''));
}

/** Whether a workspace path is taken in by the inferred patterns (files minus negations), as Nx reads them. */
function isInput(patterns: string[], path: string): boolean {
  const matches = (pattern: string) => minimatch(path, pattern, { dot: true });
  return patterns.some((p) => !p.startsWith('!') && matches(p)) && !patterns.some((p) => p.startsWith('!') && matches(p.slice(1)));
}

describe('agent-service generator', () => {
  describe.each(TEMPLATE_NAMES)('template %s (name = template name)', (template) => {
    let tree: Tree;
    beforeEach(async () => {
      tree = workspace();
      await agentServiceGenerator(tree, { name: template });
    });

    it('writes exactly the files of the template under apps/<name>', () => {
      expect(filesUnder(tree, `apps/${template}`)).toEqual(EXPECTED_FILES[template]);
    });

    it('registers the project with its targets, tags, contract and the generator record', () => {
      const python = template !== 'langfuse';
      const project = readProjectConfiguration(tree, template);
      expect(project).toMatchObject({
        name: template,
        root: `apps/${template}`,
        projectType: 'application',
        tags: ['lang:python', 'type:agent-service', `template:${template}`],
        metadata: {
          description: expect.any(String),
          contract: serviceContract(template, 'http'),
          generatedBy: {
            generator: 'nx-agent-ecr:agent-service',
            options: {
              name: template,
              template,
              protocol: 'http',
              directory: `apps/${template}`,
              port: PORTS[template],
              libs: [],
              baseImage: python ? IMAGE_PINS.python : IMAGE_PINS.langfuseWeb,
            },
          },
        },
      });
      expect(project.sourceRoot).toBe(python ? `apps/${template}/src` : undefined);
      expect(Object.keys(project.targets ?? {})).toEqual(['docker-build', 'ecr-push', 'contract-check', 'deploy', 'test', 'serve']);
      expect(project.targets?.['docker-build'].executor).toBe(EXECUTORS.build);
      expect(project.targets?.['ecr-push'].executor).toBe(EXECUTORS.push);
      expect(project.targets?.deploy.executor).toBe(DEPLOY_EXECUTORS[template]);
    });

    it("deploys after the push (langfuse also after its worker's), per environment, uncached, with inputs left to the plugin", () => {
      const { targets } = readProjectConfiguration(tree, template);
      const worker = template === 'langfuse' ? [{ projects: ['langfuse-worker'], target: 'ecr-push' }] : [];
      expect(targets?.deploy).toEqual({
        executor: DEPLOY_EXECUTORS[template],
        dependsOn: ['ecr-push', ...worker],
        options: {},
        configurations: { dev: { environment: 'dev' }, staging: { environment: 'staging' }, prod: { environment: 'prod' } },
        cache: false,
      });
      const inferred = inferImageTargets(`apps/${template}/project.json`, treeFiles(tree)).projects?.[`apps/${template}`]?.targets;
      expect(inferred?.deploy?.inputs).toEqual([`{workspaceRoot}/apps/${template}/${DEPLOY_FILES[template]}`, ...DEPLOY_DEPENDENCY_INPUTS]);
    });

    it(
      template === 'langfuse'
        ? 'contract-check inspects the built image only: Langfuse starts only against its databases'
        : 'contract-check runs the built image against metadata.contract with the stub backend (no model, no credentials)',
      () => {
        const check = readProjectConfiguration(tree, template).targets?.['contract-check'];
        expect(check).toEqual({
          executor: EXECUTORS.run,
          dependsOn: ['docker-build'],
          options: template === 'langfuse' ? { checks: ['platform', 'user', 'size'] } : { env: { AGENT_BACKEND: 'stub' } },
          cache: false,
        });
      },
    );

    it("leaves the image targets' inputs to the plugin, which infers exactly what reaches the image", () => {
      const { targets } = readProjectConfiguration(tree, template);
      expect(targets?.['docker-build'].inputs).toBeUndefined();
      expect(targets?.['ecr-push'].inputs).toBeUndefined();
      const inputs = inferredBuildInputs(tree, `apps/${template}`);
      const root = `apps/${template}`;
      for (const file of ['Dockerfile', '.dockerignore', ...(template === 'langfuse' ? [] : ['requirements.txt', 'src/app/main.py'])]) {
        expect({ file, input: isInput(inputs, `${root}/${file}`) }).toEqual({ file, input: true });
      }
      for (const file of ['README.md', 'tests/test_dockerfile.py', 'pytest.ini']) {
        expect({ file, input: isInput(inputs, `${root}/${file}`) }).toEqual({ file, input: false });
      }
    });

    it('ecr-push builds through docker-build itself (no dependsOn) and -c <env> reaches both: same configurations', () => {
      const { targets } = readProjectConfiguration(tree, template);
      const push = targets?.['ecr-push'];
      expect(push?.dependsOn).toBeUndefined();
      for (const env of ['dev', 'staging', 'prod']) {
        expect(push?.configurations?.[env]).toEqual({ environment: env });
        expect(targets?.['docker-build'].configurations?.[env]).toEqual({});
      }
    });

    it("declares the build record as docker-build's output and caches neither image target (the image is not in dist)", () => {
      const { targets } = readProjectConfiguration(tree, template);
      expect(targets?.['docker-build']).toMatchObject({ outputs: [recordOutput('build')], cache: false });
      expect(targets?.['ecr-push'].cache).toBe(false);
    });

    it('tests with pytest into the declared JUnit output, with the image files and the tests as inputs', () => {
      const test = readProjectConfiguration(tree, template).targets?.test;
      expect(test?.options.command).toBe(
        `\${PYTHON:-/usr/bin/python3} -m pytest --junitxml=../../dist/test-results/apps/${template}/junit.xml`,
      );
      expect(test?.options.cwd).toBe('{projectRoot}');
      expect(test?.outputs).toEqual(['{workspaceRoot}/dist/test-results/{projectRoot}/junit.xml']);
      expect(test?.inputs).toEqual([IMAGE_NAMED_INPUT, '{projectRoot}/tests/**/*', '{projectRoot}/pytest.ini', { env: 'PYTHON' }]);
      expect(test?.cache).toBe(true);
    });

    it(template === 'langfuse' ? 'serves the built image with the .env file' : 'serves the app with uvicorn --reload on its port', () => {
      const serve = readProjectConfiguration(tree, template).targets?.serve;
      expect(serve?.continuous).toBe(true);
      if (template === 'langfuse') {
        expect(serve?.dependsOn).toEqual(['docker-build']);
        expect(serve?.options.command).toBe(`docker run --rm -p 3000:3000 --env-file .env langfuse:latest`);
      } else {
        expect(serve?.options.command).toMatch(
          new RegExp(`-m uvicorn app\\.main:app --reload --host 127\\.0\\.0\\.1 --port ${PORTS[template]}$`),
        );
        expect(serve?.options.env).toEqual({ PYTHONPATH: 'src', AGENT_BACKEND: 'auto' });
      }
    });

    it('writes a Dockerfile with a pinned BASE_IMAGE arg, no --platform, a non-root USER and the port EXPOSEd', () => {
      const dockerfile = read(tree, `apps/${template}/Dockerfile`);
      expect(dockerfile).toMatch(/^ARG BASE_IMAGE=\S+:\d[\w.-]*$/m);
      expect(dockerfile).not.toMatch(/--platform/);
      expect(dockerfile).toMatch(/^USER (10001:10001|1001:1001)$/m);
      expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${PORTS[template]}$`, 'm'));
      expect(dockerfile).not.toContain('<%');
    });

    it('writes the seed .dockerignore plus workspace noise', () => {
      const lines = read(tree, `apps/${template}/.dockerignore`).split('\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          '.git',
          '.env',
          '*.md',
          'tests/',
          '.vscode/',
          '__pycache__/',
          '*.pyc',
          '.venv',
          'node_modules',
          'dist',
          '.nx',
        ]),
      );
    });

    it('keeps the deploy files out of the build context, so editing them changes no content tag', () => {
      expect(read(tree, `apps/${template}/.dockerignore`).split('\n')).toContain('deploy/');
      const inputs = inferredBuildInputs(tree, `apps/${template}`);
      expect(isInput(inputs, `apps/${template}/${DEPLOY_FILES[template]}`)).toBe(false);
    });
  });

  it('makes the Python Dockerfiles multi-stage with the secret mount and the OFFLINE switch', async () => {
    const tree = workspace();
    await agentServiceGenerator(tree, { name: 'langgraph' });
    const dockerfile = read(tree, 'apps/langgraph/Dockerfile');
    expect(dockerfile.match(/^FROM \$\{BASE_IMAGE\} AS \w+$/gm)).toEqual([
      'FROM ${BASE_IMAGE} AS builder',
      'FROM ${BASE_IMAGE} AS runtime',
    ]);
    expect(dockerfile).toContain('RUN --mount=type=secret,id=pip_conf,target=/etc/pip.conf');
    expect(dockerfile).toContain('ARG OFFLINE=false');
    expect(dockerfile).toContain('COPY requirements.txt /build/apps/langgraph/');
    expect(dockerfile).toContain('COPY src/ /app/src/');
  });

  describe('options', () => {
    it('uses the given template for a name that is not a template name', async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'my-agent', template: 'aws-agent-core' });
      expect(readProjectConfiguration(tree, 'my-agent').tags).toContain('template:aws-agent-core');
      expect(read(tree, 'apps/my-agent/src/app/main.py')).toContain('SERVICE = "my-agent"');
      expect(read(tree, 'apps/my-agent/Dockerfile')).toMatch(/^EXPOSE 8080$/m);
    });

    it('--port changes EXPOSE, PORT, the health check, serve and the app entry point', async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'cortex-eu', template: 'snowflake-cortex', port: 9000 });
      const dockerfile = read(tree, 'apps/cortex-eu/Dockerfile');
      expect(dockerfile).toMatch(/^EXPOSE 9000$/m);
      expect(dockerfile).toMatch(/PORT=9000$/m);
      expect(read(tree, 'apps/cortex-eu/src/app/__main__.py')).toContain('os.environ.get("PORT", "9000")');
      expect(readProjectConfiguration(tree, 'cortex-eu').targets?.serve.options.command).toMatch(/--port 9000$/);
    });

    it('--directory places the service elsewhere and computes paths back to the root', async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'sup', template: 'langgraph', directory: 'apps/team-a/sup/', libs: ['agent-common'] });
      expect(filesUnder(tree, 'apps/team-a/sup')).toContain('Dockerfile');
      const project = readProjectConfiguration(tree, 'sup');
      expect(project.root).toBe('apps/team-a/sup');
      expect(project.targets?.['docker-build'].options).toEqual({ context: '.' });
      expect(project.targets?.test.options.command).toContain('--junitxml=../../../dist/test-results/apps/team-a/sup/junit.xml');
      expect(project.targets?.serve.options.env.PYTHONPATH).toBe('src:../../../libs/agent-common/src');
      // Built from the workspace root, the image takes in the lib's code: so do its inferred inputs.
      const inputs = inferredBuildInputs(tree, 'apps/team-a/sup');
      expect(isInput(inputs, 'libs/agent-common/pyproject.toml')).toBe(true);
      expect(isInput(inputs, 'apps/team-a/sup/src/app/agent.py')).toBe(true);
      expect(isInput(inputs, 'apps/other/src/app/agent.py')).toBe(false);
      expect(read(tree, 'apps/team-a/sup/requirements.txt')).toMatch(/^\.\.\/\.\.\/\.\.\/libs\/agent-common$/m);
    });

    it('--libs COPYs each lib, builds from the workspace root with an allow-list, and wires requirements and pytest', async () => {
      const tree = workspace();
      tree.write('libs/prompts/pyproject.toml', '[project]\nname = "prompts"\n');
      await agentServiceGenerator(tree, { name: 'aws-agent-core', libs: ['prompts', 'agent-common'] });
      const root = 'apps/aws-agent-core';
      const dockerfile = read(tree, `${root}/Dockerfile`);
      expect(dockerfile).toContain('COPY libs/agent-common/ /build/libs/agent-common/\nCOPY libs/prompts/ /build/libs/prompts/\n');
      expect(dockerfile).toContain(`COPY ${root}/requirements.txt /build/${root}/`);
      expect(dockerfile).toContain(`COPY ${root}/src/ /app/src/`);
      expect(dockerfile).toContain('--no-index --no-deps --no-build-isolation ../../libs/agent-common ../../libs/prompts;');
      expect(read(tree, `${root}/Dockerfile.dockerignore`).split('\n').slice(2, 8)).toEqual([
        '*',
        `!${root}/requirements.txt`,
        `!${root}/src/`,
        '!libs/agent-common/pyproject.toml',
        '!libs/agent-common/src/',
        '!libs/prompts/pyproject.toml',
      ]);
      expect(read(tree, `${root}/requirements.txt`).trimEnd().split('\n').slice(-2)).toEqual([
        '../../libs/agent-common',
        '../../libs/prompts',
      ]);
      expect(read(tree, `${root}/pytest.ini`)).toContain('pythonpath = src ../../libs/agent-common/src ../../libs/prompts/src');
      expect(read(tree, `${root}/src/app/contract.py`)).toContain('from agent_common import');
      expect(readProjectConfiguration(tree, 'aws-agent-core').targets?.['docker-build'].options).toEqual({ context: '.' });
    });

    it('without --libs the app carries its own contract module and the context is the service folder', async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'aws-agent-core' });
      expect(tree.exists('apps/aws-agent-core/Dockerfile.dockerignore')).toBe(false);
      expect(read(tree, 'apps/aws-agent-core/src/app/contract.py')).not.toContain('agent_common');
      expect(read(tree, 'apps/aws-agent-core/src/app/contract.py')).toContain('def parse_invocation(');
      expect(read(tree, 'apps/aws-agent-core/requirements.txt')).not.toContain('libs/');
      expect(read(tree, 'apps/aws-agent-core/pytest.ini')).toContain('pythonpath = src\n');
    });

    it('--libs accepts the comma-separated spelling of the CLI', async () => {
      const tree = workspace();
      tree.write('libs/prompts/pyproject.toml', '');
      await agentServiceGenerator(tree, { name: 'langgraph', libs: ['prompts,agent-common'] });
      expect(readProjectConfiguration(tree, 'langgraph').metadata?.generatedBy.options.libs).toEqual(['agent-common', 'prompts']);
    });

    it('--baseImage becomes the default of the BASE_IMAGE build arg', async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'langgraph', baseImage: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/python:3.12-slim' });
      expect(read(tree, 'apps/langgraph/Dockerfile')).toMatch(
        /^ARG BASE_IMAGE=123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/python:3\.12-slim$/m,
      );
    });

    it('formats with the workspace formatter unless --skipFormat', async () => {
      const formatted = createTreeWithEmptyWorkspace({ formatter: 'prettier' });
      await agentServiceGenerator(formatted, { name: 'langfuse' });
      const skipped = createTreeWithEmptyWorkspace({ formatter: 'prettier' });
      await agentServiceGenerator(skipped, { name: 'langfuse', skipFormat: true });
      expect(read(formatted, 'apps/langfuse/project.json')).toContain('"dependsOn": ["docker-build"]');
      expect(read(skipped, 'apps/langfuse/project.json')).toContain('"dependsOn": [\n        "docker-build"\n      ]');
    });
  });

  describe('--protocol (aws-agent-core)', () => {
    it.each([
      ['http', 8080, ['src/app/runtime.py', 'src/app/runtime_standin.py'], ['bedrock-agentcore', 'strands-agents', 'uvicorn']],
      ['mcp', 8000, ['src/app/mcp_server.py', 'src/app/mcp_standin.py'], ['mcp', 'strands-agents', 'uvicorn']],
      ['a2a', 9000, ['src/app/a2a_runtime.py', 'src/app/a2a_standin.py'], ['bedrock-agentcore', 'a2a-sdk', 'strands-agents', 'uvicorn']],
    ] as const)(
      '%s: its port, its SDK seam and stand-in, its pinned packages and its contract in the project',
      async (protocol, port, seam, packages) => {
        const tree = workspace();
        await agentServiceGenerator(tree, { name: 'agent', template: 'aws-agent-core', protocol });
        const files = filesUnder(tree, 'apps/agent');
        expect(files).toEqual(expect.arrayContaining([...seam, 'src/app/main.py', 'tests/test_contract.py']));
        const others = ['runtime', 'mcp_server', 'a2a_runtime'].filter((m) => !seam[0].includes(m));
        expect(files.filter((f) => others.some((m) => f.includes(`/${m}.py`)))).toEqual([]);
        expect(read(tree, 'apps/agent/Dockerfile')).toMatch(new RegExp(`^EXPOSE ${port}$`, 'm'));
        expect(read(tree, 'apps/agent/Dockerfile')).toContain(`http://127.0.0.1:%s/ping`);
        const requirements = read(tree, 'apps/agent/requirements.txt')
          .split('\n')
          .filter((l) => l && !l.startsWith('#'));
        expect(requirements.map((l) => l.replace(/\[.*\]/, '').split('==')[0])).toEqual(packages);
        const project = readProjectConfiguration(tree, 'agent');
        expect(project.metadata?.contract).toEqual(serviceContract('aws-agent-core', protocol));
        expect(project.metadata?.generatedBy.options).toMatchObject({ protocol, port });
      },
    );

    it('--port overrides the protocol default, and the contract records the port', async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'agent', template: 'aws-agent-core', protocol: 'mcp', port: 8100 });
      expect(readProjectConfiguration(tree, 'agent').metadata?.contract.port).toBe(8100);
    });

    it('the contract table holds, per protocol, what AgentCore Runtime requires', () => {
      const contract = (p: 'http' | 'mcp' | 'a2a') => TEMPLATES['aws-agent-core'].contracts[p];
      expect(contract('http')).toMatchObject({ port: 8080, healthPath: '/ping' });
      expect(contract('http')?.endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(['GET /ping', 'POST /invocations']);
      expect(contract('mcp')?.port).toBe(8000);
      expect(contract('mcp')?.endpoints.map((e) => `${e.method} ${e.path}`)).toContain('POST /mcp');
      expect(contract('a2a')?.port).toBe(9000);
      expect(contract('a2a')?.endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(
        expect.arrayContaining(['GET /.well-known/agent-card.json', 'POST /']),
      );
    });

    it.each(['http', 'mcp', 'a2a'] as const)(
      'the %s contract is checkable: AgentCore 1 GB image limit, /ping status Healthy|HealthyBusy, every endpoint exercised',
      (protocol) => {
        const contract = TEMPLATES['aws-agent-core'].contracts[protocol];
        expect(contract?.maxImageSizeMB).toBe(1000);
        expect(contract?.endpoints.find((e) => e.path === '/ping')?.check).toEqual({ fields: { status: ['Healthy', 'HealthyBusy'] } });
        expect(contract?.endpoints.filter((e) => !e.check)).toEqual([]);
      },
    );

    it('the ECS templates check their /health, answer "ok", and their POST /invoke; langfuse is not run', () => {
      for (const template of ['langgraph', 'snowflake-cortex'] as const) {
        const endpoints = TEMPLATES[template].contracts.http?.endpoints ?? [];
        expect(endpoints.map((e) => [e.method, e.path, e.check?.fields])).toEqual([
          ['GET', '/health', { status: ['ok'] }],
          ['POST', '/invoke', undefined],
        ]);
        expect(TEMPLATES[template].contracts.http?.maxImageSizeMB).toBeUndefined();
      }
      expect(TEMPLATES.langfuse.contractCheck).toEqual({ checks: ['platform', 'user', 'size'] });
    });
  });

  describe('pins', () => {
    it('every requirements.txt line comes from the one pin table', async () => {
      const tree = workspace();
      for (const name of ['aws-agent-core', 'langgraph', 'snowflake-cortex'] as const) await agentServiceGenerator(tree, { name });
      await agentServiceGenerator(tree, { name: 'a2a', template: 'aws-agent-core', protocol: 'a2a' });
      const lines = ['aws-agent-core', 'langgraph', 'snowflake-cortex', 'a2a'].flatMap((name) =>
        read(tree, `apps/${name}/requirements.txt`)
          .split('\n')
          .filter((l) => l && !l.startsWith('#')),
      );
      for (const line of lines) {
        const [, name, version] = /^([\w-]+)(?:\[[\w,-]+\])?==(.+)$/.exec(line) ?? [];
        expect(PYTHON_PINS[name as keyof typeof PYTHON_PINS]?.version).toBe(version);
      }
      expect(lines).toContain('a2a-sdk[http-server]==1.3.0');
    });

    it('langfuse web and worker start from the pinned upstream images of the same release', async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'langfuse' });
      expect(read(tree, 'apps/langfuse/Dockerfile')).toContain(`ARG BASE_IMAGE=${IMAGE_PINS.langfuseWeb}\n`);
      expect(read(tree, 'apps/langfuse/worker/Dockerfile')).toContain(`ARG BASE_IMAGE=${IMAGE_PINS.langfuseWorker}\n`);
      expect(IMAGE_PINS.langfuseWeb.split(':')[2]).toBe(IMAGE_PINS.langfuseWorker.split(':')[2]);
    });
  });

  describe('langfuse: web and worker', () => {
    it('registers the worker as its own project in <root>/worker, with docker-build, ecr-push, contract-check and test', async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'obs', template: 'langfuse' });
      const worker = readProjectConfiguration(tree, 'obs-worker');
      expect(worker.root).toBe('apps/obs/worker');
      expect(worker.metadata).toEqual({ description: expect.stringContaining('Worker of obs'), partOf: 'obs' });
      expect(Object.keys(worker.targets ?? {})).toEqual(['docker-build', 'ecr-push', 'contract-check', 'test']);
      expect(worker.targets?.['contract-check'].options).toEqual({ checks: ['platform', 'user', 'size'] });
      expect(worker.targets?.test.options.command).toContain('--junitxml=../../../dist/test-results/apps/obs/worker/junit.xml');
      expect(read(tree, 'apps/obs/.dockerignore').split('\n')).toContain('worker/');
    });

    it('lists both containers with their ports, health paths, environment and secrets; .env.example has exactly those', async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'langfuse' });
      const containers = serviceContainers('langfuse', 'langfuse', serviceContract('langfuse', 'http'));
      expect(containers.map((c) => [c.name, c.project, c.port, c.healthPath])).toEqual([
        ['langfuse-web', 'langfuse', 3000, '/api/public/health'],
        ['langfuse-worker', 'langfuse-worker', 3030, '/api/health'],
      ]);
      expect(containers[0]?.secrets).toEqual(expect.arrayContaining(['DATABASE_URL', 'NEXTAUTH_SECRET', 'SALT', 'ENCRYPTION_KEY']));
      expect(containers[1]?.secrets).not.toContain('NEXTAUTH_SECRET');
      const names = read(tree, 'apps/langfuse/.env.example')
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split('=')[0]);
      expect(names.sort()).toEqual([...new Set(containers.flatMap((c) => [...c.env, ...c.secrets]))].sort());
    });

    it('refuses a name whose worker project would exist already or be too long, writing nothing', async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'obs-worker', template: 'langgraph' });
      const before = tree.listChanges().length;
      await expect(agentServiceGenerator(tree, { name: 'obs', template: 'langfuse' })).rejects.toThrow(
        /Project "obs-worker" already exists/,
      );
      await expect(agentServiceGenerator(tree, { name: 'x'.repeat(60), template: 'langfuse' })).rejects.toThrow(
        /its worker project "x+-worker" .*at most 63.*Choose a shorter name/,
      );
      expect(tree.listChanges().length).toBe(before);
    });
  });

  describe('renovate.json', () => {
    it("groups each template's services, pins base images by digest, and is rewritten as services are added", async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'langgraph' });
      await agentServiceGenerator(tree, { name: 'a', template: 'aws-agent-core' });
      await agentServiceGenerator(tree, { name: 'b', template: 'aws-agent-core', protocol: 'mcp' });
      const config = readJson(tree, RENOVATE_FILE);
      expect(config.extends).toEqual(['config:recommended']);
      expect(config.packageRules[0]).toMatchObject({ matchManagers: ['dockerfile'], pinDigests: true });
      expect(
        config.packageRules.slice(1).map((r: { groupName: string; matchFileNames: string[] }) => [r.groupName, r.matchFileNames]),
      ).toEqual([
        ['aws-agent-core services', ['apps/a/**', 'apps/b/**']],
        ['langgraph services', ['apps/langgraph/**']],
      ]);
    });

    it.each(['renovate.json', '.github/renovate.json'])("leaves a user's own %s as it is", async (file) => {
      const tree = workspace();
      tree.write(file, '{"extends": ["local>acme/renovate-config"]}\n');
      await agentServiceGenerator(tree, { name: 'langgraph' });
      expect(read(tree, file)).toBe('{"extends": ["local>acme/renovate-config"]}\n');
      expect(tree.exists(RENOVATE_FILE) && file !== RENOVATE_FILE).toBe(false);
    });
  });

  describe('nx.json', () => {
    it('gains the target defaults and the plugin, and no named input (the plugin infers the image inputs)', async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'langgraph' });
      const nxJson = readNxJson(tree);
      expect(nxJson?.namedInputs?.[IMAGE_NAMED_INPUT]).toBeUndefined();
      expect(nxJson?.targetDefaults).toMatchObject(TARGET_DEFAULTS);
      expect(nxJson?.targetDefaults?.build).toEqual({ cache: true });
      expect(nxJson?.plugins).toEqual(['nx-agent-ecr']);
    });

    it('is changed idempotently: a second service adds nothing twice', async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'langgraph' });
      const afterFirst = read(tree, 'nx.json');
      await agentServiceGenerator(tree, { name: 'langfuse' });
      expect(read(tree, 'nx.json')).toBe(afterFirst);
    });

    it("keeps the user's own settings and an object-form plugin registration", async () => {
      const tree = workspace();
      const nxJson = readJson(tree, 'nx.json');
      nxJson.namedInputs = { dockerContext: ['{projectRoot}/**/*'] };
      nxJson.targetDefaults['docker-build'] = { cache: false, dependsOn: ['^build'] };
      nxJson.plugins = [{ plugin: 'nx-agent-ecr', options: { x: 1 } }];
      tree.write('nx.json', JSON.stringify(nxJson));
      await agentServiceGenerator(tree, { name: 'langgraph' });
      const after = readNxJson(tree);
      expect(after?.namedInputs?.dockerContext).toEqual(['{projectRoot}/**/*']);
      expect(after?.targetDefaults?.['docker-build']).toEqual({ cache: false, dependsOn: ['^build'] });
      expect(after?.plugins).toEqual([{ plugin: 'nx-agent-ecr', options: { x: 1 } }]);
    });
  });

  describe('refusals (nothing is written)', () => {
    async function refuses(tree: Tree, schema: Parameters<typeof agentServiceGenerator>[1], message: RegExp) {
      const before = tree.listChanges().map((c) => [c.path, c.content?.toString()]);
      await expect(agentServiceGenerator(tree, schema)).rejects.toThrow(message);
      expect(tree.listChanges().map((c) => [c.path, c.content?.toString()])).toEqual(before);
    }

    it.each([
      ['MyAgent', /Invalid service name "MyAgent": ECR repository names and DNS labels are lowercase .*Use for example "myagent"/],
      ['my_agent', /Invalid service name "my_agent": only lowercase letters, digits and hyphens.*"my-agent"/],
      ['-agent', /must start and end with a letter or digit/],
      ['a--b', /consecutive separators/],
      ['x'.repeat(64), /at most 63/],
    ])('an invalid name %j, naming the rule', async (name, message) => {
      await refuses(workspace(), { name, template: 'langgraph' }, message);
    });

    it('an error message is one line', async () => {
      await expect(agentServiceGenerator(workspace(), { name: 'Bad_Name' })).rejects.toThrow(/^[^\n]+$/);
    });

    it('a missing template for a name that is not a template name, listing the valid ones', async () => {
      await refuses(workspace(), { name: 'my-agent' }, /No --template given .*aws-agent-core, langgraph, snowflake-cortex, langfuse/);
    });

    it('an unknown template, listing the valid ones', async () => {
      await refuses(
        workspace(),
        { name: 'x', template: 'crewai' as never },
        /Unknown template "crewai". Valid templates: aws-agent-core, langgraph, snowflake-cortex, langfuse\./,
      );
    });

    it('an existing project', async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'langgraph' });
      await refuses(tree, { name: 'langgraph', directory: 'apps/other' }, /Project "langgraph" already exists \(at apps\/langgraph\)/);
    });

    it('an existing directory, and does not overwrite what is there', async () => {
      const tree = workspace();
      tree.write('apps/langgraph/Dockerfile', 'FROM mine\n');
      await refuses(tree, { name: 'langgraph' }, /Directory "apps\/langgraph" already exists/);
      expect(read(tree, 'apps/langgraph/Dockerfile')).toBe('FROM mine\n');
    });

    it('libs that do not exist, naming them and the available ones', async () => {
      await refuses(
        workspace(),
        { name: 'langgraph', libs: ['agent-common', 'nope', 'gone'] },
        /Unknown lib\(s\) in --libs: gone, nope\. .*\(available: agent-common\)/,
      );
    });

    it.each([
      ['langgraph', 'mcp', /Invalid --protocol=mcp for the langgraph template: use http \(--protocol=mcp is for aws-agent-core\)\./],
      ['aws-agent-core', 'grpc', /Invalid --protocol=grpc for the aws-agent-core template: use http or mcp or a2a\./],
    ])('a protocol the %s template does not speak (%s)', async (template, protocol, message) => {
      await refuses(workspace(), { name: 'svc', template: template as TemplateName, protocol: protocol as never }, message);
    });

    it('libs for the langfuse template, which has no Python app', async () => {
      await refuses(workspace(), { name: 'langfuse', libs: ['agent-common'] }, /--libs is for Python services/);
    });

    it.each([0, 70000, 80.5])('port %p', async (port) => {
      await refuses(workspace(), { name: 'langgraph', port }, /Invalid --port=.*1 to 65535/);
    });

    it.each(['../outside', '/abs/path', 'apps/../..'])('directory %j outside the workspace', async (directory) => {
      await refuses(workspace(), { name: 'langgraph', directory }, /Invalid --directory=/);
    });

    it.each(['apps/x;touch ~/pwned', 'apps/$(id)', 'apps/my service', "apps/it's", 'apps/-rf'])(
      'directory %j that a shell or a glob would read as more than a path',
      async (directory) => {
        await refuses(workspace(), { name: 'langgraph', directory }, /^Invalid --directory=.*may only hold letters, digits/);
      },
    );
  });
});
