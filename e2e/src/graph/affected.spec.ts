// `nx show projects --affected` on a git copy of the workspace: exactly the services whose image can change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphWorkspace } from './graph-workspace';

// langfuse-worker: the Langfuse worker image, its own project in apps/langfuse/worker.
const SERVICES = ['aws-agent-core', 'langfuse', 'langfuse-worker', 'langgraph', 'snowflake-cortex'];
const LIB_USERS = ['aws-agent-core', 'langgraph'];

let ws: GraphWorkspace;

beforeAll(() => {
  ws = GraphWorkspace.create();
});

afterAll(() => ws?.remove());

describe('the inferred project graph', () => {
  test('has a static edge from each service that copies agent-common to agent-common, and none from the others', () => {
    const file = join(ws.root, 'dist', 'graph.json');
    ws.nx('graph', `--file=${file}`);
    const graph = JSON.parse(readFileSync(file, 'utf8')) as {
      graph: { dependencies: Record<string, { source: string; target: string; type: string }[]> };
    };
    const dependents = Object.values(graph.graph.dependencies)
      .flat()
      .filter((edge) => edge.target === 'agent-common')
      .map((edge) => `${edge.source}:${edge.type}`);
    expect([...new Set(dependents)].sort()).toEqual(LIB_USERS.map((name) => `${name}:static`));
  });
});

describe('affected for ecr-push (base HEAD~1, head HEAD)', () => {
  test.each([
    ['a service source file', ['apps/langgraph/src/app/agent.py'], ['langgraph']],
    ['the shared lib source', ['libs/agent-common/src/agent_common/health.py'], LIB_USERS],
    ['the shared lib packaging (pyproject.toml reaches the image)', ['libs/agent-common/pyproject.toml'], LIB_USERS],
    ['only the shared lib tests', ['libs/agent-common/tests/test_health.py'], []],
    ['the shared lib README', ['libs/agent-common/README.md'], []],
    ['a service README', ['apps/langgraph/README.md'], []],
    ['a service test', ['apps/snowflake-cortex/tests/test_contract.py'], []],
    ['a service Dockerfile', ['apps/langfuse/Dockerfile'], ['langfuse']],
    ['the Langfuse worker Dockerfile: only the worker, not the web image around it', ['apps/langfuse/worker/Dockerfile'], ['langfuse-worker']],
    ['the generated Renovate config', ['renovate.json'], []],
    ['a service requirements file', ['apps/aws-agent-core/requirements.txt'], ['aws-agent-core']],
    ['the ignore file a context-root service builds with', ['apps/langgraph/Dockerfile.dockerignore'], ['langgraph']],
    ['the .dockerignore of a service whose context is its folder', ['apps/snowflake-cortex/.dockerignore'], ['snowflake-cortex']],
    ['a file the Dockerfile copies but .dockerignore drops', ['apps/langgraph/src/app/NOTES.md'], []],
    ['two services at once', ['apps/langgraph/src/app/agent.py', 'apps/snowflake-cortex/src/app/agent.py'], ['langgraph', 'snowflake-cortex']],
  ])('%s', (_name, files, expected) => {
    expect(ws.touchAndCommit(files, 'ecr-push')).toEqual(expected);
  });

  test('nx.json: every service (Nx hashes nx.json into every task; it configures how each image target runs)', () => {
    const affected = ws.editJsonAndCommit('nx.json', (json) => {
      const targetDefaults = json.targetDefaults as Record<string, Record<string, unknown>>;
      targetDefaults.lint = { ...targetDefaults.lint, cache: false };
    }, 'ecr-push');
    expect(affected).toEqual(SERVICES);
  });

  test('the root npm lock file: no service (npm packages never reach a Python image)', () => {
    const affected = ws.editJsonAndCommit('package-lock.json', (json) => {
      const packages = json.packages as Record<string, { version?: string }>;
      const yaml = packages['node_modules/yaml'];
      if (!yaml?.version) throw new Error('package-lock.json has no node_modules/yaml entry to bump');
      yaml.version = `${yaml.version}-bumped`;
    }, 'ecr-push');
    expect(affected).toEqual([]);
  });
});

describe('affected for test', () => {
  test.each([
    ['langgraph', 'apps/langgraph/tests/test_agent.py'],
    ['snowflake-cortex (its .dockerignore drops tests/)', 'apps/snowflake-cortex/tests/test_contract.py'],
  ])("a service's tests affect its test target: %s", (_name, file) => {
    expect(ws.touchAndCommit([file], 'test')).toEqual([file.split('/')[1]]);
  });

  test("the shared lib's tests affect the lib's test target only (dependents read the lib's code, not its tests)", () => {
    expect(ws.touchAndCommit(['libs/agent-common/tests/test_health.py'], 'test')).toEqual(['agent-common']);
  });

  test("the shared lib's code affects the lib's tests and its dependents' tests", () => {
    expect(ws.touchAndCommit(['libs/agent-common/src/agent_common/health.py'], 'test')).toEqual(['agent-common', ...LIB_USERS]);
  });
});
