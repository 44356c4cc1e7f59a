// The committed services under apps/ are exactly what the generator makes: each is regenerated into a scratch
// tree with the options recorded in its project.json (metadata.generatedBy) and compared byte for byte, and so is
// the workspace's renovate.json (tools/regenerate-apps.ts regenerates them) — after both sides went through the
// workspace's formatter for the files it formats (JSON, Markdown), so running `prettier --write` over the
// repository, or `nx g` formatting its output, is not drift.
import { type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from 'nx/src/devkit-testing-exports';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as prettier from 'prettier';
import { agentServiceGenerator } from './generator';
import { withAgentServiceDefaults } from './nx-json';
import { GENERATOR_ID, type GeneratorRecord } from './project-config';
import { RENOVATE_FILE, renovateConfig } from './renovate';
import { protocolsOf, TEMPLATE_NAMES, TEMPLATES } from './templates';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..');
const COMMITTED_SERVICES = ['aws-agent-core', 'langfuse', 'langgraph', 'snowflake-cortex'];
// Local run leftovers that git ignores: not part of what the generator or the repository holds.
const IGNORED = new Set(['__pycache__', '.pytest_cache', '.env']);

function generatedServices(): [string, GeneratorRecord][] {
  const apps = join(workspaceRoot, 'apps');
  return readdirSync(apps)
    .filter((dir) => existsSync(join(apps, dir, 'project.json')))
    .map((dir) => JSON.parse(readFileSync(join(apps, dir, 'project.json'), 'utf8')))
    .filter((project) => project.metadata?.generatedBy?.generator === GENERATOR_ID)
    .map((project) => [project.name as string, project.metadata.generatedBy as GeneratorRecord]);
}

function filesOnDisk(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (IGNORED.has(entry.name) || entry.name.endsWith('.pyc')) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

function filesInTree(tree: Tree, dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const change of tree.listChanges()) {
    if (change.type !== 'DELETE' && change.path.startsWith(`${dir}/`) && change.content) {
      files.set(change.path.slice(dir.length + 1), change.content);
    }
  }
  return files;
}

/** A scratch workspace like this one: the libs the service uses; formatting is left to `formatted`. */
function scratchWorkspace(record: GeneratorRecord): Tree {
  const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
  for (const lib of record.options.libs) {
    tree.write(`libs/${lib}/pyproject.toml`, readFileSync(join(workspaceRoot, 'libs', lib, 'pyproject.toml')));
  }
  return tree;
}

/** The file as the workspace's prettier config formats it, for the files prettier formats; other files unchanged. */
async function formatted(path: string, content: Buffer): Promise<Buffer> {
  const { inferredParser } = await prettier.getFileInfo(path);
  if (!inferredParser) return content;
  const options = (await prettier.resolveConfig(path)) ?? {};
  return Buffer.from(await prettier.format(content.toString('utf8'), { ...options, filepath: path }));
}

describe('committed services match the generator', () => {
  const services = generatedServices();

  it('finds the four services of this repository, each with its generator record', () => {
    expect(services.map(([name]) => name).sort()).toEqual(COMMITTED_SERVICES);
  });

  it.each(services)('%s regenerates from its recorded options, byte for byte up to formatting', async (name, record) => {
    const tree = scratchWorkspace(record);
    await agentServiceGenerator(tree, record.options);
    const dir = record.options.directory;
    const generated = filesInTree(tree, dir);
    const committed = filesOnDisk(join(workspaceRoot, dir));

    expect([...committed.keys()].sort()).toEqual([...generated.keys()].sort());
    for (const [file, content] of generated) {
      const path = join(workspaceRoot, dir, file);
      const [want, have] = [await formatted(path, content), await formatted(path, committed.get(file) ?? Buffer.alloc(0))];
      // Compare as text first for a readable diff, then as bytes for the exact claim.
      expect({ file, text: have.toString('utf8') }).toEqual({ file, text: want.toString('utf8') });
      expect(have.equals(want)).toBe(true);
    }
    expect(name).toBe(record.options.name);
  });

  it('tolerates formatting: a project.json as prettier writes it still matches', async () => {
    const [name, record] = services[0]!;
    const tree = scratchWorkspace(record);
    await agentServiceGenerator(tree, record.options);
    const file = join(workspaceRoot, record.options.directory, 'project.json');
    const reformatted = await prettier.format(readFileSync(file, 'utf8'), { filepath: file, printWidth: 140 });
    expect(reformatted).not.toBe(readFileSync(file, 'utf8'));
    const generated = filesInTree(tree, record.options.directory).get('project.json') ?? Buffer.alloc(0);
    expect((await formatted(file, Buffer.from(reformatted))).equals(await formatted(file, generated))).toBe(true);
    expect(name).toBe(record.options.name);
  });

  it('renovate.json is the config the generator writes for these services, byte for byte up to formatting', async () => {
    const path = join(workspaceRoot, RENOVATE_FILE);
    const generated = Buffer.from(renovateConfig(services.map(([, record]) => record)));
    expect((await formatted(path, readFileSync(path))).toString('utf8')).toBe((await formatted(path, generated)).toString('utf8'));
  });

  it.each(['README.md', 'docs/generators/agent-service.md'])(
    "%s's template table lists every template and protocol with its contract's port and endpoints",
    (doc) => {
      const rows = readFileSync(join(workspaceRoot, doc), 'utf8')
        .split('\n')
        .filter((line) => /^\| `[\w-]+` \| `(http|mcp|a2a)`/.test(line));
      for (const template of TEMPLATE_NAMES) {
        for (const protocol of protocolsOf(template)) {
          const row = rows.find((line) => line.startsWith(`| \`${template}\` | \`${protocol}\``));
          const contract = TEMPLATES[template].contracts[protocol];
          expect({ template, protocol, row: row ?? 'missing' }).toEqual({
            template,
            protocol,
            row: expect.stringContaining(` ${contract?.port}`),
          });
          for (const endpoint of contract?.endpoints.filter((e) => e.path !== '/') ?? []) expect(row).toContain(endpoint.path);
        }
      }
    },
  );

  it('nx.json already holds everything the generator adds, so regenerating would not change it', () => {
    const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8'));
    expect(withAgentServiceDefaults(nxJson)).toEqual(nxJson);
  });
});
