#!/usr/bin/env node
// Generates schema.d.ts next to every executor/generator schema.json: schema.json is the source of truth.
// Usage: node tools/schema-types.mjs <package-dir> [--check]   (--check fails when a schema.d.ts is stale)
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from 'json-schema-to-typescript';

const [packageDir = 'packages/nx-agent-ecr', flag] = process.argv.slice(2);
const check = flag === '--check';
const banner =
  '/* Generated from schema.json by tools/schema-types.mjs. Do not edit by ' +
  'hand: edit schema.json and run `nx run nx-agent-ecr:schema-types`. */';

let stale = 0;
for (const kind of ['executors', 'generators']) {
  const root = join(packageDir, 'src', kind);
  if (!existsSync(root)) continue;
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const schemaPath = join(root, entry.name, 'schema.json');
    if (!entry.isDirectory() || !existsSync(schemaPath)) continue;
    const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
    // Nx-only keywords are not JSON Schema; drop them so the compiler does not trip on them.
    const typeName = `${toPascal(entry.name)}${kind === 'executors' ? 'ExecutorSchema' : 'GeneratorSchema'}`;
    const ts = await compile({ ...schema, title: typeName, $id: undefined }, typeName, {
      bannerComment: banner,
      additionalProperties: false,
      style: { singleQuote: true, printWidth: 120 },
      strictIndexSignatures: true,
    });
    const target = join(root, entry.name, 'schema.d.ts');
    const current = existsSync(target) ? await readFile(target, 'utf8') : '';
    if (current === ts) continue;
    if (check) {
      console.error(`${target} is out of date with schema.json. Run: node tools/schema-types.mjs ${packageDir}`);
      stale++;
    } else {
      await writeFile(target, ts);
      console.log(`wrote ${target}`);
    }
  }
}
process.exit(stale ? 1 : 0);

function toPascal(name) {
  return name.replace(/(^|[-_])([a-z0-9])/g, (_, __, c) => c.toUpperCase());
}
