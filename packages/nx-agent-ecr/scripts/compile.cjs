#!/usr/bin/env node
// Compiles the plugin's TypeScript (src/) to the CommonJS that Nx loads (dist/), with the files it reads at run time
// (schema.json, the generator's templates). Only what changed since the last compile is rewritten, and a manifest of
// what that compile read lets a freshness check cost a few stat calls. npm runs it after every install (the root
// "prepare" script) and index.js before Nx uses the plugin, so a fresh clone and an edited checkout run current code.
//
//   node packages/nx-agent-ecr/scripts/compile.cjs [--check]   (--check: list what is stale, exit 1 if anything)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const PACKAGE_DIR = path.join(__dirname, '..');

/** Sources that are not part of the running plugin: tests, their helpers, generated type declarations. */
const NOT_SHIPPED = /(\.spec\.ts|test-support\.ts|\.d\.ts)$/;

/** In dist/: what the last compile read, as { sources: { path: [mtime, size] }, dirs: { path: mtime } } under src/. */
const MANIFEST = '.compiled-from.json';

/** Every output of the package's sources: [{ source, output, compile }], compile false for a verbatim copy. */
function plan(packageDir) {
  const src = path.join(packageDir, 'src');
  const dist = path.join(packageDir, 'dist');
  const items = [];
  const walk = (dir, inTemplates) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const source = path.join(dir, entry.name);
      const output = path.join(dist, path.relative(src, source));
      if (entry.isDirectory()) walk(source, inTemplates || entry.name === 'files');
      // Generator templates are copied as they are, whatever their extension (they are templates, not plugin code).
      else if (inTemplates) items.push({ source, output, compile: false });
      else if (entry.name.endsWith('.ts') && !NOT_SHIPPED.test(entry.name))
        items.push({ source, output: output.replace(/\.ts$/, '.js'), compile: true });
      else if (entry.name.endsWith('.json')) items.push({ source, output, compile: false });
    }
  };
  walk(src, false);
  return { src, dist, items };
}

/** A file's signature: mtime (whole ms, which a copy that keeps timestamps keeps too) and size; null when missing. */
function signature(file) {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? [Math.trunc(stat.mtimeMs), stat.size] : null;
}

function readManifest(packageDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(packageDir, 'dist', MANIFEST), 'utf8'));
  } catch {
    return { sources: {}, dirs: {} };
  }
}

/** Outputs whose source changed since the last compile (or that are missing), and dist files no source produces. */
function staleness(packageDir = PACKAGE_DIR) {
  const { src, dist, items } = plan(packageDir);
  const manifest = readManifest(packageDir);
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const stale = items.filter(
    (item) => !fs.existsSync(item.output) || !same(manifest.sources[path.relative(src, item.source)], signature(item.source)),
  );
  const wanted = new Set([...items.map((item) => item.output), path.join(dist, MANIFEST)]);
  const orphans = [];
  const walk = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (!wanted.has(file)) orphans.push(file);
    }
  };
  walk(dist);
  return { src, dist, items, stale, orphans };
}

/** Writes through a temporary file and a rename, so a concurrent reader (another Nx process) never sees half a file. */
function writeAtomic(file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
}

/** The settings tsc would use for one file (isolatedModules holds for the whole package), as CommonJS for require(). */
function transpile(ts, source) {
  const result = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
    fileName: source,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      isolatedModules: true,
      useUnknownInCatchVariables: true,
    },
  });
  const first = (result.diagnostics ?? []).find((d) => d.category === ts.DiagnosticCategory.Error);
  if (first) {
    const where = first.file && first.start !== undefined ? first.file.getLineAndCharacterOfPosition(first.start) : undefined;
    const at = where ? `${source}:${where.line + 1}:${where.character + 1}` : source;
    throw new Error(`nx-agent-ecr: cannot compile ${at}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`);
  }
  return result.outputText;
}

/** Brings dist/ up to date; returns the number of files written and removed. Loads TypeScript only when needed. */
function compile(packageDir = PACKAGE_DIR) {
  const { src, dist, items, stale, orphans } = staleness(packageDir);
  // Signatures are taken before reading, so an edit made during the compile shows as a change next time.
  const sources = Object.fromEntries(items.map((item) => [path.relative(src, item.source), signature(item.source)]));
  const dirs = Object.fromEntries(
    [...new Set(items.map((item) => path.dirname(item.source)))].map((dir) => [path.relative(src, dir), signature(dir)[0]]),
  );
  const ts = stale.some((item) => item.compile) ? require('typescript') : undefined;
  // Everything is transpiled before anything is written: a syntax error leaves dist/ as it was.
  const outputs = stale.map((item) => [item.output, item.compile ? transpile(ts, item.source) : fs.readFileSync(item.source)]);
  for (const [output, content] of outputs) writeAtomic(output, content);
  for (const orphan of orphans) fs.rmSync(orphan, { force: true });
  writeAtomic(path.join(dist, MANIFEST), JSON.stringify({ sources, dirs }));
  return { written: stale.length, removed: orphans.length };
}

/**
 * Whether dist/ holds what src/ says, from the manifest alone: every directory (files added, removed, renamed) and
 * every source (edited) it lists looks as it did when the last compile read it.
 */
function isFresh(packageDir = PACKAGE_DIR) {
  const src = path.join(packageDir, 'src');
  const manifest = readManifest(packageDir);
  const dirs = Object.entries(manifest.dirs);
  if (dirs.length === 0) return false;
  return (
    dirs.every(([dir, mtime]) => signature(path.join(src, dir))?.[0] === mtime) &&
    Object.entries(manifest.sources).every(([file, seen]) => JSON.stringify(signature(path.join(src, file))) === JSON.stringify(seen))
  );
}

let checkedAtMs = 0;

/**
 * In a development checkout (src/index.ts beside dist/), compiles what changed since the last compile; an installed
 * package has no src/ and does nothing. Checks at most once a second: one Nx command asks several times.
 */
function ensureCompiled(packageDir = PACKAGE_DIR) {
  if (Date.now() - checkedAtMs < 1000 || !fs.existsSync(path.join(packageDir, 'src', 'index.ts'))) return;
  if (!isFresh(packageDir)) compile(packageDir);
  checkedAtMs = Date.now();
}

module.exports = { staleness, compile, isFresh, ensureCompiled };

if (require.main === module) {
  // `npm ci --dry-run` runs the "prepare" script too, without installing the compiler: there is nothing to compile.
  if (process.env.npm_config_dry_run === 'true') {
    console.log('nx-agent-ecr: dry run, dist/ not compiled');
    process.exit(0);
  }
  try {
    if (process.argv.includes('--check')) {
      const { stale, orphans } = staleness();
      for (const item of stale) console.log(`stale: ${path.relative(process.cwd(), item.output)}`);
      for (const orphan of orphans) console.log(`orphan: ${path.relative(process.cwd(), orphan)}`);
      process.exit(stale.length + orphans.length > 0 ? 1 : 0);
    }
    const { written, removed } = compile();
    console.log(`nx-agent-ecr: dist/ ${written + removed === 0 ? 'up to date' : `${written} written, ${removed} removed`}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
