// The plugin's wiring: every executor and generator named in executors.json / generators.json points into the
// compiled dist/ at the compiled form of a source module that exports a function, by name and as default, as Nx
// expects, and of a schema.json. (e2e/src/wiring.spec.ts loads the packed package's dist with a plain require().)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const packageRoot = join(__dirname, '..');
const readJson = (file: string) => JSON.parse(readFileSync(join(packageRoot, file), 'utf8'));

interface Entry {
  implementation?: string;
  factory?: string;
  schema: string;
  description: string;
}

/** The source a dist/ path is compiled or copied from: dist/x/y.js ← src/x/y.ts, dist/x/schema.json ← src/x/schema.json. */
const sourceOf = (distPath: string) => {
  expect(distPath).toMatch(/^\.\/dist\//);
  return join(packageRoot, distPath.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
};

const executors = Object.entries<Entry>(readJson('executors.json').executors ?? {});
const generators = Object.entries<Entry>(readJson('generators.json').generators ?? {});

describe('plugin manifest', () => {
  it('is what package.json points Nx at, and the package ships the compiled dist/ with the manifests', () => {
    const pkg = readJson('package.json');
    expect(pkg).toMatchObject({ name: 'nx-agent-ecr', main: './index.js', executors: './executors.json', generators: './generators.json' });
    expect(pkg.files).toEqual(expect.arrayContaining(['index.js', 'dist', 'executors.json', 'generators.json']));
  });

  describe.each([...executors.map((e) => ['executor', ...e] as const), ...generators.map((g) => ['generator', ...g] as const)])(
    '%s %s',
    (_kind, _name, entry) => {
      it('has a description, a schema.json with a properties object, and a schema.d.ts beside it', () => {
        expect(entry.description).toMatch(/\w{3,}/);
        const schemaPath = sourceOf(entry.schema);
        expect(existsSync(schemaPath)).toBe(true);
        const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
        expect(schema).toMatchObject({ type: 'object', properties: expect.any(Object) });
        expect(existsSync(schemaPath.replace(/\.json$/, '.d.ts'))).toBe(true);
      });

      it('resolves to an implementation whose default export is a function, as Nx requires it', () => {
        const target = entry.implementation ?? entry.factory;
        expect(target).toBeDefined();
        // Nx loads executors and generators with require(), so the test does too.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(sourceOf(target as string));
        expect(typeof mod.default).toBe('function');
      });
    },
  );
});
