// `nx show projects --affected` on a scratch copy of the workspace: exactly the services whose image can change,
// and, for every change in the table, the content tag of a service changes exactly when Nx calls it affected.
import type { ExecutorContext } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeContentTag } from 'nx-agent-ecr/src/lib/content/content-tag';
import { normalizeOptions } from 'nx-agent-ecr/src/executors/docker-arm64-build/normalize-options';
import { expectSuccess, ScratchWorkspace } from '../support/scratch-workspace';

// langfuse-worker: the Langfuse worker image, its own project in apps/langfuse/worker.
const SERVICES = ['aws-agent-core', 'langfuse', 'langfuse-worker', 'langgraph', 'snowflake-cortex'];
const LIB_USERS = ['aws-agent-core', 'langgraph'];
/** Project roots that are not apps/<name>. */
const ROOTS: Record<string, string> = { 'langfuse-worker': 'apps/langfuse/worker' };

let ws: ScratchWorkspace;

beforeAll(() => {
  ws = ScratchWorkspace.create('nx-agent-ecr-graph');
});

afterAll(() => ws?.remove());

/** Every service's content tag, computed as docker-build computes it from its project.json options. */
async function contentTags(): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  for (const name of SERVICES) {
    const root = ROOTS[name] ?? `apps/${name}`;
    const project = ws.readJson<{ targets: Record<string, { options?: object }> }>(`${root}/project.json`);
    const context = { root: ws.root, projectName: name, projectsConfigurations: { version: 2, projects: { [name]: { root } } } };
    tags[name] = await computeContentTag(normalizeOptions(project.targets['docker-build']?.options ?? {}, context as ExecutorContext));
  }
  return tags;
}

/** Applies `change`, commits, and returns what Nx calls affected and whose content tag changed. */
async function afterChange(change: () => void, target = 'ecr-push'): Promise<{ affected: string[]; retagged: string[] }> {
  const before = await contentTags();
  change();
  ws.commitAll('change under test');
  const after = await contentTags();
  return { affected: await ws.affected(target), retagged: SERVICES.filter((name) => before[name] !== after[name]) };
}

describe('the inferred project graph', () => {
  test('has a static edge from each service that copies agent-common to agent-common, and none from the others', async () => {
    const file = join(ws.root, 'dist', 'graph.json');
    expectSuccess(await ws.nx(['graph', `--file=${file}`]), 'nx graph');
    const graph = JSON.parse(readFileSync(file, 'utf8')) as {
      graph: { dependencies: Record<string, { source: string; target: string; type: string }[]> };
    };
    const dependents = Object.values(graph.graph.dependencies)
      .flat()
      .filter((edge) => edge.target === 'agent-common')
      .map((edge) => `${edge.source}:${edge.type}`);
    expect([...new Set(dependents)].sort()).toEqual(LIB_USERS.map((name) => `${name}:static`));
  });

  test('inputs in force are inferred: image files for docker-build and ecr-push (which builds), deploy file for deploy', async () => {
    const shown = expectSuccess(await ws.nx(['show', 'project', 'langgraph', '--json']), 'nx show project').stdout;
    const { targets } = JSON.parse(shown.slice(shown.indexOf('{'))) as { targets: Record<string, { inputs?: unknown[] }> };
    expect(targets['docker-build']?.inputs).toEqual(
      expect.arrayContaining([
        '{workspaceRoot}/apps/langgraph/Dockerfile',
        '{workspaceRoot}/apps/langgraph/src/**/*',
        '{workspaceRoot}/libs/agent-common/src/**/*',
      ]),
    );
    expect(targets['docker-build']?.inputs).not.toContain('dockerContext');
    expect(targets['ecr-push']?.inputs).toEqual(targets['docker-build']?.inputs);
    expect(targets['deploy']?.inputs).toEqual([
      '{workspaceRoot}/apps/langgraph/deploy/ecs/task-definition.json',
      { dependentTasksOutputFiles: '**/*' },
      { externalDependencies: [] },
    ]);
  });
});

describe('affected for ecr-push (base HEAD~1, head HEAD) agrees with the content tag', () => {
  test.each([
    ['a service source file', ['apps/langgraph/src/app/agent.py'], ['langgraph']],
    ['the shared lib source', ['libs/agent-common/src/agent_common/health.py'], LIB_USERS],
    ['the shared lib packaging (pyproject.toml reaches the image)', ['libs/agent-common/pyproject.toml'], LIB_USERS],
    ['only the shared lib tests', ['libs/agent-common/tests/test_health.py'], []],
    ['the shared lib README', ['libs/agent-common/README.md'], []],
    ['a service README', ['apps/langgraph/README.md'], []],
    ['a service test', ['apps/snowflake-cortex/tests/test_contract.py'], []],
    ['a context file the Dockerfile never copies (pytest.ini)', ['apps/snowflake-cortex/pytest.ini'], []],
    ['a service Dockerfile', ['apps/langfuse/Dockerfile'], ['langfuse']],
    [
      'the Langfuse worker Dockerfile: only the worker, not the web image around it',
      ['apps/langfuse/worker/Dockerfile'],
      ['langfuse-worker'],
    ],
    ['the generated Renovate config', ['renovate.json'], []],
    ['a service requirements file', ['apps/aws-agent-core/requirements.txt'], ['aws-agent-core']],
    ['the ignore file a context-root service builds with', ['apps/langgraph/Dockerfile.dockerignore'], ['langgraph']],
    ['the .dockerignore of a service whose context is its folder', ['apps/snowflake-cortex/.dockerignore'], ['snowflake-cortex']],
    ['a file the Dockerfile copies but .dockerignore drops', ['apps/langgraph/src/app/NOTES.md'], []],
    ['a new file in a copied folder', ['apps/langfuse/new.txt', 'apps/aws-agent-core/src/app/extra.py'], ['aws-agent-core']],
    [
      'two services at once',
      ['apps/langgraph/src/app/agent.py', 'apps/snowflake-cortex/src/app/agent.py'],
      ['langgraph', 'snowflake-cortex'],
    ],
  ])('%s', async (_name, files, expected) => {
    const { affected, retagged } = await afterChange(() => ws.touch(files, 'touched by the graph test'));
    expect({ affected, retagged }).toEqual({ affected: expected, retagged: expected });
  });

  test('the root npm lock file: no service (npm packages never reach a Python image)', async () => {
    const result = await afterChange(() =>
      ws.editJson('package-lock.json', (json) => {
        const packages = json.packages as Record<string, { version?: string }>;
        const yaml = packages['node_modules/yaml'];
        if (!yaml?.version) throw new Error('package-lock.json has no node_modules/yaml entry to bump');
        yaml.version = `${yaml.version}-bumped`;
      }),
    );
    expect(result).toEqual({ affected: [], retagged: [] });
  });

  // The one deliberate difference: Nx hashes nx.json into every task, the content tag hashes only the image's inputs,
  // so every service is affected and every unchanged image is then skipped by its content tag.
  test('nx.json: every service is affected, no content tag changes', async () => {
    const result = await afterChange(() =>
      ws.editJson('nx.json', (json) => {
        const targetDefaults = json.targetDefaults as Record<string, Record<string, unknown>>;
        targetDefaults.lint = { ...targetDefaults.lint, cache: false };
      }),
    );
    expect(result).toEqual({ affected: SERVICES, retagged: [] });
  });
});

describe('affected for test', () => {
  const touched = async (file: string) => {
    ws.touch([file], 'touched by the graph test');
    ws.commitAll(`touch ${file}`);
    return ws.affected('test');
  };

  test.each([
    ['langgraph', 'apps/langgraph/tests/test_agent.py'],
    ['snowflake-cortex (its .dockerignore drops tests/)', 'apps/snowflake-cortex/tests/test_contract.py'],
  ])("a service's tests affect its test target: %s", async (_name, file) => {
    expect(await touched(file)).toEqual([file.split('/')[1]]);
  });

  test("the shared lib's tests affect the lib's test target only (dependents read the lib's code, not its tests)", async () => {
    expect(await touched('libs/agent-common/tests/test_health.py')).toEqual(['agent-common']);
  });

  test("the shared lib's code affects the lib's tests and its dependents' tests", async () => {
    expect(await touched('libs/agent-common/src/agent_common/health.py')).toEqual(['agent-common', ...LIB_USERS]);
  });
});

// A deploy reads its deploy file and the push records it waits for (the plugin infers both): it is affected exactly
// when one of its pushes is, or its deploy file changes — which, outside the build context, retags nothing. Deploy
// files are appended to like the rest (Nx hashes them as bytes; nothing here parses them).
describe('affected for deploy (base HEAD~1, head HEAD)', () => {
  test.each([
    ['a service source file: that service', ['apps/langgraph/src/app/agent.py'], ['langgraph'], ['langgraph']],
    ['the shared lib source: every service that copies it', ['libs/agent-common/src/agent_common/health.py'], LIB_USERS, LIB_USERS],
    [
      "the Langfuse worker's Dockerfile: langfuse, whose task runs the worker's image",
      ['apps/langfuse/worker/Dockerfile'],
      ['langfuse'],
      ['langfuse-worker'],
    ],
    [
      'an ECS task definition: that service, no content tag',
      ['apps/snowflake-cortex/deploy/ecs/task-definition.json'],
      ['snowflake-cortex'],
      [],
    ],
    ['the AgentCore configuration: that service, no content tag', ['apps/aws-agent-core/deploy/agentcore.json'], ['aws-agent-core'], []],
    ['a service README: nothing', ['apps/langgraph/README.md'], [], []],
  ])('%s', async (_name, files, deployed, retagged) => {
    const result = await afterChange(() => ws.touch(files, 'touched by the graph test'), 'deploy');
    expect(result).toEqual({ affected: deployed, retagged });
  });

  test('nx.json: every deploying service is affected, no content tag changes (unchanged ones then register nothing)', async () => {
    const result = await afterChange(
      () =>
        ws.editJson('nx.json', (json) => {
          const targetDefaults = json.targetDefaults as Record<string, Record<string, unknown>>;
          targetDefaults.lint = { ...targetDefaults.lint, cache: true };
        }),
      'deploy',
    );
    expect(result).toEqual({ affected: ['aws-agent-core', 'langfuse', 'langgraph', 'snowflake-cortex'], retagged: [] });
  });
});
