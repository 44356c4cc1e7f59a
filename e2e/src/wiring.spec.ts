// The plugin's wiring through the real Nx CLI: Nx discovers its executors and generator, and the built package
// (dist) carries every manifest, schema and template and loads with a plain require().
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expectSuccess, ScratchWorkspace } from './support/scratch-workspace';

interface ExecutorsManifest {
  executors: Record<string, { implementation: string; schema: string }>;
}
interface GeneratorsManifest {
  generators: Record<string, { factory: string; schema: string }>;
}

const pluginRoot = 'packages/nx-agent-ecr';
const distRoot = 'dist/packages/nx-agent-ecr';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

describe('plugin wiring through the Nx CLI (scratch copy of the workspace)', () => {
  let ws: ScratchWorkspace;
  let executors: ExecutorsManifest;
  let generators: GeneratorsManifest;

  beforeAll(() => {
    ws = ScratchWorkspace.create('wiring');
    executors = ws.readJson<ExecutorsManifest>(`${pluginRoot}/executors.json`);
    generators = ws.readJson<GeneratorsManifest>(`${pluginRoot}/generators.json`);
  });
  // One build for the dist tests; nx list does not need it, so its result stands on its own.
  let build: Promise<void> | undefined;
  const built = () =>
    (build ??= ws.nx(['build', 'nx-agent-ecr', '--skip-nx-cache']).then((ran) => {
      expectSuccess(ran, 'nx build nx-agent-ecr');
    }));
  afterAll(() => ws?.remove());

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

  it('nx build nx-agent-ecr writes both manifests, package.json and every schema.json into dist', async () => {
    await built();
    for (const file of ['executors.json', 'generators.json', 'package.json']) {
      expect(existsSync(ws.path(distRoot, file))).toBe(true);
    }
    const schemas = [
      ...Object.values(executors.executors).map((e) => e.schema),
      ...Object.values(generators.generators).map((g) => g.schema),
    ];
    for (const schema of schemas) {
      expect(JSON.parse(readFileSync(ws.path(distRoot, schema), 'utf8'))).toEqual(
        JSON.parse(readFileSync(ws.path(pluginRoot, schema), 'utf8')),
      );
    }
  });

  it("copies the generator's files/ templates into dist unchanged", async () => {
    await built();
    for (const generator of Object.values(generators.generators)) {
      const src = ws.path(pluginRoot, generator.factory, '..', 'files');
      const out = ws.path(distRoot, generator.factory, '..', 'files');
      const templates = filesUnder(src);
      expect(templates.length).toBeGreaterThan(0);
      expect(filesUnder(out)).toEqual(templates);
      for (const file of templates) {
        expect(readFileSync(join(out, file)).equals(readFileSync(join(src, file)))).toBe(true);
      }
    }
  });

  it('loads the compiled executors, generator and plugin entry from dist with a plain require()', async () => {
    await built();
    const entries = [
      ...Object.entries(executors.executors).map(([name, e]) => ({ name, path: e.implementation })),
      ...Object.entries(generators.generators).map(([name, g]) => ({ name, path: g.factory })),
    ];
    // A separate plain node process: no ts-jest, no swc register, only what the published package would have.
    const script = `
      const path = require('node:path');
      const dist = path.resolve(process.argv[1]);
      const out = { main: Object.keys(require(dist)) };
      for (const e of JSON.parse(process.argv[2])) {
        const m = require(path.join(dist, e.path));
        out[e.name] = { default: typeof m.default, named: Object.keys(m).filter((k) => typeof m[k] === 'function') };
      }
      console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['-e', script, ws.path(distRoot), JSON.stringify(entries)], {
      cwd: ws.root,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const loaded = JSON.parse(r.stdout) as Record<string, { default: string; named: string[] }>;
    for (const e of entries) {
      expect(loaded[e.name]?.default).toBe('function');
      expect(loaded[e.name]?.named.length).toBeGreaterThan(0);
    }
    expect(relative(ws.root, ws.path(distRoot))).toBe(distRoot);
  });
});
