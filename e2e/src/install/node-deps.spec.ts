// tools/lib/node-deps.sh, the install step of `npm test` and the quick start: real `npm ci` against a registry that
// cannot serve a locked package ends in one line naming that package and what to do.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAsync } from '../support/scratch-workspace';
import { workspaceRoot } from '../support/toolchain';

const NODE_DEPS = join(workspaceRoot, 'tools', 'lib', 'node-deps.sh');

let registry: Server;
let registryUrl: string;
let project: string;

beforeAll(async () => {
  // A registry that has nothing: every packument and tarball answers 404, as a mirror that lacks a package does.
  registry = createServer((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}'));
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  const address = registry.address();
  registryUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  project = mkdtempSync(join(tmpdir(), 'node-deps-'));
  const manifest = { name: 'probe', version: '1.0.0', private: true, dependencies: { 'is-number': '7.0.0' } };
  writeFileSync(join(project, 'package.json'), JSON.stringify(manifest));
  writeFileSync(
    join(project, 'package-lock.json'),
    JSON.stringify({
      name: 'probe',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'probe', version: '1.0.0', dependencies: { 'is-number': '7.0.0' } },
        'node_modules/is-number': {
          version: '7.0.0',
          integrity: 'sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==',
        },
      },
    }),
  );
});

afterAll(async () => {
  await new Promise((resolve) => registry?.close(resolve));
  if (project) rmSync(project, { recursive: true, force: true });
});

/** Asynchronously: the stub registry answers from this process's event loop. */
function installNodeDeps(env: Record<string, string>) {
  return runAsync('bash', ['-c', `source ${NODE_DEPS} && install_node_deps`], {
    cwd: project,
    env: { npm_config_cache: join(project, '.npm-cache'), ...env },
    timeoutMs: 120_000,
  });
}

describe('install_node_deps (npm ci from the lock)', () => {
  test('a locked package the registry cannot serve fails with one line that names it and says what to do', async () => {
    const ran = await installNodeDeps({ npm_config_registry: registryUrl });
    expect(ran.exitCode).not.toBe(0);
    const lines = ran.stderr.split('\n').filter((line) => line.startsWith('✗'));
    expect(lines).toEqual([expect.stringContaining(`the registry ${registryUrl} cannot serve the locked package 'is-number@7.0.0'`)]);
    expect(lines[0]).toMatch(/run 'npm install' to re-resolve the lock and commit package-lock\.json/);
  });

  test('a package.json the lock does not match fails with one line that says to re-lock', async () => {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'probe', version: '1.0.0', dependencies: { 'is-odd': '3.0.1' } }));
    // The configured registry (the one `npm test` installs from): npm resolves the new dependency, then refuses.
    const ran = await installNodeDeps({});
    expect(ran.exitCode).not.toBe(0);
    expect(ran.stderr.split('\n').filter((line) => line.startsWith('✗'))).toEqual([
      expect.stringMatching(/package\.json and package-lock\.json disagree .*Run 'npm install' and commit package-lock\.json\./),
    ]);
  });
});
