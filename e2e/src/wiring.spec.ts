// The plugin's wiring through the real Nx CLI and npm: Nx discovers its executors and generator and runs them as
// compiled JavaScript (no TypeScript transpiler, nothing heavy in graph inference), a source edited after the last
// compile is compiled before Nx uses it, and the packed package carries every manifest, schema and template.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess, ScratchWorkspace } from './support/scratch-workspace';

interface ExecutorsManifest {
  executors: Record<string, { implementation: string; batchImplementation?: string; schema: string }>;
}
interface GeneratorsManifest {
  generators: Record<string, { factory: string; schema: string }>;
}
/** One node process of an Nx command: its script and every CommonJS module it loaded. */
interface Loaded {
  script: string;
  modules: string[];
}

const pluginRoot = 'packages/nx-agent-ecr';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

// Preloaded into every node process of a command (NODE_OPTIONS): at exit, writes the modules the process loaded.
const LOAD_HOOK = `process.on('exit', () => require('node:fs').appendFileSync(process.env.WIRING_LOAD_LOG,
  JSON.stringify({ script: process.argv[1] ?? '', modules: Object.keys(require.cache) }) + '\\n'));`;

const TRANSPILER = /@swc-node|@swc\/core|ts-node|[\\/]pirates[\\/]|\.ts$/;

describe('plugin wiring through the Nx CLI (scratch copy of the workspace)', () => {
  let ws: ScratchWorkspace;
  let executors: ExecutorsManifest;
  let generators: GeneratorsManifest;
  let packed: string;

  beforeAll(() => {
    ws = ScratchWorkspace.create('wiring');
    executors = ws.readJson<ExecutorsManifest>(`${pluginRoot}/executors.json`);
    generators = ws.readJson<GeneratorsManifest>(`${pluginRoot}/generators.json`);
    writeFileSync(ws.path('load-hook.cjs'), LOAD_HOOK);
  });
  afterAll(() => ws?.remove());

  /** Runs `nx <args>` with the load hook; returns what every node process of it loaded. */
  async function loadedBy(args: string[]): Promise<Loaded[]> {
    const log = ws.path(`loaded-${Date.now()}.jsonl`);
    expectSuccess(
      await ws.nx(args, { NODE_OPTIONS: `--require ${ws.path('load-hook.cjs')}`, WIRING_LOAD_LOG: log }),
      `nx ${args.join(' ')}`,
    );
    return readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Loaded);
  }
  const pluginWorker = (processes: Loaded[]) =>
    processes.find((p) => /plugin-worker/.test(p.script) && p.modules.some((m) => m.includes(`${pluginRoot}/dist/index.js`)));

  it('nx list nx-agent-ecr lists every executor under EXECUTORS and the generator under GENERATORS', async () => {
    const listed = expectSuccess(await ws.nx(['list', 'nx-agent-ecr']), 'nx list nx-agent-ecr').stdout;
    const [generatorPart, executorPart] = listed.split(/EXECUTORS/);
    expect(executorPart).toBeDefined();
    expect(Object.keys(executors.executors).sort()).toEqual([
      'agentcore-deploy',
      'docker-arm64-build',
      'docker-run',
      'ecr-push',
      'ecs-deploy',
    ]);
    expect(Object.keys(generators.generators)).toContain('agent-service');
    for (const name of Object.keys(executors.executors)) expect(executorPart).toMatch(new RegExp(`^${name} : `, 'm'));
    for (const name of Object.keys(generators.generators)) expect(generatorPart).toMatch(new RegExp(`^${name} : `, 'm'));
  });

  it('graph inference runs compiled JavaScript and loads no transpiler, @nx/devkit runtime, AWS SDK or execa', async () => {
    for (const kind of ['nodes', 'dependencies']) rmSync(ws.path(`.nx/workspace-data/nx-agent-ecr-${kind}.json`), { force: true });
    const cold = await loadedBy(['show', 'projects']);
    const warm = await loadedBy(['show', 'projects']);
    for (const run of [cold, warm]) {
      expect(run.flatMap((p) => p.modules.filter((m) => TRANSPILER.test(m)))).toEqual([]);
      const worker = pluginWorker(run);
      expect(worker).toBeDefined();
      expect(worker!.modules.filter((m) => /devkit-exports|@aws-sdk|[\\/]execa[\\/]/.test(m))).toEqual([]);
    }
    // The Dockerfile parser loads when a Dockerfile must be read; the next command answers from the cache without it.
    expect(pluginWorker(cold)!.modules.some((m) => m.includes('dockerfile-ast'))).toBe(true);
    expect(pluginWorker(warm)!.modules.some((m) => m.includes('dockerfile-ast'))).toBe(false);
  });

  it('an executor runs from dist/ as compiled JavaScript, without a transpiler', async () => {
    // A base pinned by digest needs no registry lookup: this suite runs without a network or an engine.
    const pinned = `public.ecr.aws/docker/library/python:3.14-slim@sha256:${'0'.repeat(64)}`;
    const run = await loadedBy(['run', 'aws-agent-core:docker-build', '--dryRun', `--buildArgs.BASE_IMAGE=${pinned}`]);
    const executor = run.find((p) => /run-executor/.test(p.script));
    expect(executor?.modules).toContainEqual(expect.stringContaining(`${pluginRoot}/dist/executors/docker-arm64-build/executor.js`));
    expect(run.flatMap((p) => p.modules.filter((m) => TRANSPILER.test(m)))).toEqual([]);
  });

  it('a source edited after the last compile is compiled before Nx runs it', async () => {
    appendFileSync(ws.path(pluginRoot, 'src/lib/records/names.ts'), "\nexport const WIRING_PROBE = 'edited after the compile';\n");
    expectSuccess(await ws.nx(['show', 'projects']), 'nx show projects');
    expect(readFileSync(ws.path(pluginRoot, 'dist/lib/records/names.js'), 'utf8')).toContain('edited after the compile');
  });

  describe('the packed package (npm pack), as users install it', () => {
    beforeAll(() => {
      // Inside the copy, so the package's dependencies resolve from its node_modules as an install's would.
      packed = mkdtempSync(ws.path('.packed-'));
      const pack = spawnSync('npm', ['pack', '--pack-destination', packed], { cwd: ws.path(pluginRoot), encoding: 'utf8' });
      expect(pack.status).toBe(0);
      const tarball = readdirSync(packed).find((f) => f.endsWith('.tgz'));
      expect(spawnSync('tar', ['-xzf', join(packed, tarball!), '-C', packed]).status).toBe(0);
    });
    const inPackage = (...parts: string[]) => join(packed, 'package', ...parts);

    it('ships both manifests, package.json, the entry and every schema.json, and no TypeScript source', () => {
      for (const file of ['executors.json', 'generators.json', 'package.json', 'index.js']) expect(existsSync(inPackage(file))).toBe(true);
      const schemas = [
        ...Object.values(executors.executors).map((e) => e.schema),
        ...Object.values(generators.generators).map((g) => g.schema),
      ];
      for (const schema of schemas) {
        expect(JSON.parse(readFileSync(inPackage(schema), 'utf8'))).toEqual(
          JSON.parse(readFileSync(ws.path(pluginRoot, schema.replace('./dist/', './src/')), 'utf8')),
        );
      }
      expect(filesUnder(packed).filter((f) => f.endsWith('.ts') && !f.includes('/files/'))).toEqual([]);
    });

    it("carries the generator's files/ templates unchanged", () => {
      for (const generator of Object.values(generators.generators)) {
        const src = ws.path(pluginRoot, generator.factory.replace('./dist/', './src/'), '..', 'files');
        const out = inPackage(generator.factory, '..', 'files');
        const templates = filesUnder(src);
        expect(templates.length).toBeGreaterThan(0);
        expect(filesUnder(out)).toEqual(templates);
        for (const file of templates) expect(readFileSync(join(out, file)).equals(readFileSync(join(src, file)))).toBe(true);
      }
    });

    it('loads the plugin entry, every executor, batch implementation and the generator with a plain require()', () => {
      const entries = [
        ...Object.entries(executors.executors).flatMap(([name, e]) => [
          { name, path: e.implementation },
          { name: `${name} batch`, path: e.batchImplementation! },
        ]),
        ...Object.entries(generators.generators).map(([name, g]) => ({ name, path: g.factory })),
      ];
      // A separate plain node process: no jest, no transpiler, only the package and its dependencies.
      const script = `
        const path = require('node:path');
        const pkg = path.resolve(process.argv[1]);
        const out = { main: Object.keys(require(pkg)) };
        for (const e of JSON.parse(process.argv[2])) {
          const m = require(path.join(pkg, e.path));
          out[e.name] = { default: typeof m.default, named: Object.keys(m).filter((k) => typeof m[k] === 'function') };
        }
        console.log(JSON.stringify(out));`;
      const r = spawnSync(process.execPath, ['-e', script, inPackage(), JSON.stringify(entries)], {
        cwd: ws.root,
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const loaded = JSON.parse(r.stdout) as Record<string, { default: string; named: string[] } | string[]>;
      expect(loaded['main']).toEqual(expect.arrayContaining(['createNodes', 'createNodesV2', 'createDependencies', 'name']));
      for (const e of entries)
        expect(loaded[e.name]).toMatchObject({ default: 'function', named: expect.arrayContaining([expect.any(String)]) });
    });
  });
});
