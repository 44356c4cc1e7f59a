// The agent-service generator on an in-memory workspace: target shapes, options, nx.json edits, refusals.
import { readJson, readNxJson, readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from 'nx/src/devkit-testing-exports';
import { agentServiceGenerator } from './generator';
import { DOCKER_CONTEXT_INPUT, TARGET_DEFAULTS } from './nx-json';
import { TEMPLATE_NAMES, type TemplateName } from './templates';

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
  'aws-agent-core': [...PYTHON_FILES, 'deploy/agentcore.json'].sort(),
  langgraph: [...PYTHON_FILES, 'src/app/tracing.py', ECS_FILE].sort(),
  'snowflake-cortex': [...PYTHON_FILES, ECS_FILE].sort(),
  langfuse: ['.dockerignore', '.env.example', 'Dockerfile', 'README.md', ECS_FILE, 'project.json', 'pytest.ini', 'tests/test_dockerfile.py'],
};

const DEPLOY_EXECUTORS: Record<TemplateName, string> = {
  'aws-agent-core': 'nx-agent-ecr:agentcore-deploy',
  langgraph: 'nx-agent-ecr:ecs-deploy',
  'snowflake-cortex': 'nx-agent-ecr:ecs-deploy',
  langfuse: 'nx-agent-ecr:ecs-deploy',
};

const PORTS: Record<TemplateName, number> = { 'aws-agent-core': 8080, langgraph: 8001, 'snowflake-cortex': 8000, langfuse: 3000 };

function expectedTargets(root: string, port: number, opts: { context?: string; python: boolean; pythonPath?: string; deploy?: string }) {
  const offset = root.split('/').map(() => '..').join('/') + '/';
  const imageInputs = ['dockerContext', '^dockerContext'];
  return {
    'docker-build': {
      executor: 'nx-agent-ecr:docker-arm64-build',
      options: opts.context ? { context: opts.context } : {},
      configurations: { dev: {}, staging: {}, prod: {} },
      inputs: imageInputs,
      outputs: ['{workspaceRoot}/dist/images/{projectRoot}/build.json'],
      cache: false,
    },
    'ecr-push': {
      executor: 'nx-agent-ecr:ecr-push',
      dependsOn: ['docker-build'],
      options: {},
      configurations: { dev: { environment: 'dev' }, staging: { environment: 'staging' }, prod: { environment: 'prod' } },
      inputs: imageInputs,
      cache: false,
    },
    deploy: {
      executor: opts.deploy ?? 'nx-agent-ecr:ecs-deploy',
      dependsOn: ['ecr-push'],
      options: {},
      configurations: { dev: { environment: 'dev' }, staging: { environment: 'staging' }, prod: { environment: 'prod' } },
      inputs: [...imageInputs, '{projectRoot}/deploy/**/*'],
      cache: false,
    },
    test: {
      executor: 'nx:run-commands',
      options: {
        command: `\${PYTHON:-/usr/bin/python3} -m pytest --junitxml=${offset}dist/test-results/${root}/junit.xml`,
        cwd: '{projectRoot}',
        env: { PYTHONDONTWRITEBYTECODE: '1' },
      },
      inputs: ['dockerContext', '{projectRoot}/tests/**/*', '{projectRoot}/pytest.ini', '^dockerContext', { env: 'PYTHON' }],
      outputs: ['{workspaceRoot}/dist/test-results/{projectRoot}/junit.xml'],
      cache: true,
    },
    serve: opts.python
      ? {
          executor: 'nx:run-commands',
          continuous: true,
          options: {
            command: `\${PYTHON:-/usr/bin/python3} -m uvicorn app.main:app --reload --host 127.0.0.1 --port ${port}`,
            cwd: '{projectRoot}',
            env: { PYTHONPATH: opts.pythonPath ?? 'src', AGENT_BACKEND: 'auto' },
          },
        }
      : {
          executor: 'nx:run-commands',
          continuous: true,
          dependsOn: ['docker-build'],
          options: { command: `docker run --rm -p ${port}:${port} --env-file .env langfuse:latest`, cwd: '{projectRoot}' },
        },
  };
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

    it('registers the project with the four contract targets, tags and the generator record', () => {
      const python = template !== 'langfuse';
      const project = readProjectConfiguration(tree, template);
      expect(project).toEqual({
        $schema: '../../node_modules/nx/schemas/project-schema.json',
        name: template,
        root: `apps/${template}`,
        ...(python ? { sourceRoot: `apps/${template}/src` } : {}),
        projectType: 'application',
        tags: ['lang:python', 'type:agent-service', `template:${template}`],
        metadata: {
          description: expect.any(String),
          generatedBy: {
            generator: 'nx-agent-ecr:agent-service',
            options: {
              name: template,
              template,
              directory: `apps/${template}`,
              port: PORTS[template],
              libs: [],
              baseImage: python ? 'public.ecr.aws/docker/library/python:3.12-slim' : expect.stringMatching(/^docker\.io\/langfuse\/langfuse:\d+\.\d+\.\d+$/),
            },
          },
        },
        targets: expectedTargets(`apps/${template}`, PORTS[template], { python, deploy: DEPLOY_EXECUTORS[template] }),
      });
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
        expect.arrayContaining(['.git', '.env', '*.md', 'tests/', '.vscode/', '__pycache__/', '*.pyc', '.venv', 'node_modules', 'dist', '.nx']),
      );
    });
  });

  it('makes the Python Dockerfiles multi-stage with the secret mount and the OFFLINE switch', async () => {
    const tree = workspace();
    await agentServiceGenerator(tree, { name: 'langgraph' });
    const dockerfile = read(tree, 'apps/langgraph/Dockerfile');
    expect(dockerfile.match(/^FROM \$\{BASE_IMAGE\} AS \w+$/gm)).toEqual(['FROM ${BASE_IMAGE} AS builder', 'FROM ${BASE_IMAGE} AS runtime']);
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
      expect(project.targets).toEqual(
        expectedTargets('apps/team-a/sup', 8001, { python: true, context: '.', pythonPath: 'src:../../../libs/agent-common/src' }),
      );
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
      expect(read(tree, `${root}/requirements.txt`).trimEnd().split('\n').slice(-2)).toEqual(['../../libs/agent-common', '../../libs/prompts']);
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
      expect(read(tree, 'apps/langgraph/Dockerfile')).toMatch(/^ARG BASE_IMAGE=123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/python:3\.12-slim$/m);
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

  describe('nx.json', () => {
    it('gains the dockerContext input, target defaults and the plugin', async () => {
      const tree = workspace();
      await agentServiceGenerator(tree, { name: 'langgraph' });
      const nxJson = readNxJson(tree);
      expect(nxJson?.namedInputs?.dockerContext).toEqual(DOCKER_CONTEXT_INPUT);
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

    it('libs for the langfuse template, which has no Python app', async () => {
      await refuses(workspace(), { name: 'langfuse', libs: ['agent-common'] }, /--libs is for Python services/);
    });

    it.each([0, 70000, 80.5])('port %p', async (port) => {
      await refuses(workspace(), { name: 'langgraph', port }, /Invalid --port=.*1 to 65535/);
    });

    it.each(['../outside', '/abs/path', 'apps/../..'])('directory %j outside the workspace', async (directory) => {
      await refuses(workspace(), { name: 'langgraph', directory }, /Invalid --directory=/);
    });
  });
});
