import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CreateDependenciesContext, CreateNodesContext, CreateNodesResult } from '@nx/devkit';
import { createDependencies, createNodes } from '../../index';
import { inferImageTargets } from './infer-targets';
import { cacheFile, pluginBuild, withInferenceCache } from './cache-file';
import { diskWorkspaceFiles } from '../workspace-files';

const build = { executor: 'nx-agent-ecr:docker-arm64-build', options: { context: '.' } };
const files: Record<string, string> = {
  'apps/svc/project.json': JSON.stringify({ name: 'svc', targets: { 'docker-build': build } }),
  'apps/svc/Dockerfile': 'FROM base\nCOPY libs/common /common\nCOPY apps/svc/src /src\n',
  'apps/svc/src/main.py': '',
  'libs/common/project.json': JSON.stringify({ name: 'common' }),
  'libs/common/x.py': '',
};

let root: string;
const write = (file: string, text: string) => {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
};
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nx-agent-ecr-cache-'));
  for (const [file, text] of Object.entries(files)) write(file, text);
});
afterEach(() => {
  delete process.env['NX_CACHE_PROJECT_GRAPH'];
  rmSync(root, { recursive: true, force: true });
});

const nodes = async () => {
  const context = { workspaceRoot: root, nxJsonConfiguration: {} } as CreateNodesContext;
  return (await createNodes[1](['apps/svc/project.json', 'libs/common/project.json'], undefined, context)) as [string, CreateNodesResult][];
};
const uncached = (file: string) => inferImageTargets(file, diskWorkspaceFiles(root));

/** Counts what a run reused and computed, through the same cache createNodes uses. */
async function counts(): Promise<[number, number]> {
  let result: [number, number] = [0, 0];
  await withInferenceCache(root, 'nodes', (cache) => {
    for (const file of ['apps/svc/project.json', 'libs/common/project.json'])
      cache.get(file, diskWorkspaceFiles(root), () => uncached(file));
    result = [cache.hits, cache.misses];
  });
  return result;
}

describe('graph inference with its result cache', () => {
  test("createNodes stores its answers in Nx's workspace data directory; the next run reuses them all", async () => {
    const first = await nodes();
    expect(first).toEqual([
      ['apps/svc/project.json', uncached('apps/svc/project.json')],
      ['libs/common/project.json', {}],
    ]);
    expect(cacheFile(root, 'nodes')).toBe(join(root, '.nx', 'workspace-data', 'nx-agent-ecr-nodes.json'));
    expect(JSON.parse(readFileSync(cacheFile(root, 'nodes'), 'utf8'))).toMatchObject({ build: pluginBuild() });
    expect(await counts()).toEqual([2, 0]);
    expect(await nodes()).toEqual(first);
  });

  test('an edited Dockerfile is read again: the next run infers from the new text', async () => {
    await nodes();
    write('apps/svc/Dockerfile', 'FROM base\nCOPY apps/svc/src /src\n');
    const [[, svc]] = await nodes();
    expect(svc).toEqual(uncached('apps/svc/project.json'));
    expect(JSON.stringify(svc)).not.toContain('libs/common');
  });

  test('NX_CACHE_PROJECT_GRAPH=false (Nx own switch) ignores what is stored', async () => {
    await nodes();
    process.env['NX_CACHE_PROJECT_GRAPH'] = 'false';
    expect(await counts()).toEqual([0, 2]);
  });

  test('a corrupt cache file costs a recompute, and an unwritable data directory does not fail inference', async () => {
    await nodes();
    writeFileSync(cacheFile(root, 'nodes'), '{"build": ');
    expect(await counts()).toEqual([0, 2]);
    rmSync(join(root, '.nx'), { recursive: true });
    write('.nx', 'a file where the directory should be');
    expect((await nodes())[0][1]).toEqual(uncached('apps/svc/project.json'));
    expect(existsSync(cacheFile(root, 'nodes'))).toBe(false);
  });

  test('createDependencies gives the same edges from its cache, and follows an edited Dockerfile', async () => {
    const context = {
      workspaceRoot: root,
      projects: { svc: { root: 'apps/svc', targets: { 'docker-build': build } }, common: { root: 'libs/common' } },
      fileMap: {
        projectFileMap: {
          svc: ['apps/svc/project.json', 'apps/svc/Dockerfile', 'apps/svc/src/main.py'].map((file) => ({ file, hash: '' })),
          common: ['libs/common/project.json', 'libs/common/x.py'].map((file) => ({ file, hash: '' })),
        },
        nonProjectFiles: [],
      },
    } as unknown as CreateDependenciesContext;
    const edge = { source: 'svc', target: 'common', type: 'static', sourceFile: 'apps/svc/Dockerfile' };
    expect(await createDependencies(undefined, context)).toEqual([edge]);
    expect(await createDependencies(undefined, context)).toEqual([edge]);
    write('apps/svc/Dockerfile', 'FROM base\n');
    expect(await createDependencies(undefined, context)).toEqual([]);
  });
});
