// scripts/compile.cjs: the compile Nx's entry (index.js) and npm's "prepare" run, so Nx loads JavaScript, never stale.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script, loaded as Nx's entry loads it
const compiler = require('../scripts/compile.cjs') as {
  compile(dir: string): { written: number; removed: number };
  isFresh(dir: string): boolean;
};

let pkg: string;
const write = (file: string, text: string) => {
  mkdirSync(dirname(join(pkg, file)), { recursive: true });
  writeFileSync(join(pkg, file), text);
};
const read = (file: string) => readFileSync(join(pkg, file), 'utf8');
/** Moves a file's mtime a minute ahead, as an edit after the last compile would. */
const touchLater = (file: string) => utimesSync(join(pkg, file), new Date(), new Date(Date.now() + 60_000));

beforeEach(() => {
  pkg = mkdtempSync(join(tmpdir(), 'nx-agent-ecr-compile-'));
  write('src/index.ts', "import { value } from './lib/value';\nexport const answer: number = value;\n");
  write('src/lib/value.ts', 'export const value = 42;\n');
  write('src/lib/value.spec.ts', "test('x', () => undefined);\n");
  write('src/lib/test-support.ts', 'export {};\n');
  write('src/executors/x/schema.json', '{"type":"object"}\n');
  write('src/executors/x/schema.d.ts', 'export interface X {}\n');
  write('src/generators/g/files/app/main.py.template', 'print("<%= name %>")\n');
});
afterEach(() => rmSync(pkg, { recursive: true, force: true }));

describe('scripts/compile.cjs', () => {
  test('compiles shipped sources to CommonJS in dist/, copies schema.json and templates, and leaves tests out', () => {
    expect(compiler.compile(pkg)).toEqual({ written: 4, removed: 0 });
    expect(read('dist/index.js')).toContain('require("./lib/value")');
    expect(read('dist/executors/x/schema.json')).toBe('{"type":"object"}\n');
    expect(read('dist/generators/g/files/app/main.py.template')).toBe('print("<%= name %>")\n');
    for (const file of ['dist/lib/value.spec.js', 'dist/lib/test-support.js', 'dist/executors/x/schema.d.js']) {
      expect(existsSync(join(pkg, file))).toBe(false);
    }
    expect(compiler.isFresh(pkg)).toBe(true);
  });

  test('rewrites only what changed, and removes the output of a deleted source', () => {
    compiler.compile(pkg);
    expect(compiler.compile(pkg)).toEqual({ written: 0, removed: 0 });
    write('src/lib/value.ts', 'export const value = 7;\n');
    touchLater('src/lib/value.ts');
    expect(compiler.isFresh(pkg)).toBe(false);
    expect(compiler.compile(pkg)).toEqual({ written: 1, removed: 0 });
    expect(read('dist/lib/value.js')).toContain('7');
    rmSync(join(pkg, 'src/executors/x/schema.json'));
    expect(compiler.compile(pkg)).toEqual({ written: 0, removed: 1 });
    expect(existsSync(join(pkg, 'dist/executors/x/schema.json'))).toBe(false);
  });

  test('a new source file makes dist/ stale (its directory changed)', () => {
    compiler.compile(pkg);
    write('src/lib/other.ts', 'export const other = 1;\n');
    touchLater('src/lib');
    expect(compiler.isFresh(pkg)).toBe(false);
    compiler.compile(pkg);
    expect(existsSync(join(pkg, 'dist/lib/other.js'))).toBe(true);
  });

  test('a syntax error names the file, line and column, and writes nothing', () => {
    compiler.compile(pkg);
    write('src/lib/value.ts', 'export const value = ;\n');
    touchLater('src/lib/value.ts');
    expect(() => compiler.compile(pkg)).toThrow(/^nx-agent-ecr: cannot compile .*src\/lib\/value\.ts:1:22: Expression expected/);
    expect(read('dist/lib/value.js')).toContain('42');
    expect(compiler.isFresh(pkg)).toBe(false);
  });
});
