import { InferenceCache } from './inference-cache';
import { memoryWorkspaceFiles } from '../workspace-files';

/** A computation that reads `file`, asks whether `other` is a file and whether `dir` exists, and counts its runs. */
function counted() {
  let runs = 0;
  return {
    get runs() {
      return runs;
    },
    compute: (files: ReturnType<typeof memoryWorkspaceFiles>) => {
      runs++;
      return { text: files.read('a/Dockerfile') ?? null, other: files.isFile('a/other'), dir: files.exists('libs') };
    },
  };
}

/** One run, then a second run over what the first stored, as two Nx commands would. */
function twoRuns(before: Record<string, string>, after: Record<string, string>, build = 'v1') {
  const job = counted();
  const first = new InferenceCache('v1');
  first.get('a/project.json', memoryWorkspaceFiles(before), job.compute);
  const second = new InferenceCache(build, JSON.parse(JSON.stringify(first.toStored())));
  const value = second.get('a/project.json', memoryWorkspaceFiles(after), job.compute);
  return { runs: job.runs, value, second };
}

const workspace = { 'a/Dockerfile': 'FROM x\nCOPY libs/y .\n', 'libs/y/z.py': '' };

describe('InferenceCache', () => {
  test('reuses an answer while every file it read hashes the same and every path check answers the same', () => {
    const { runs, value, second } = twoRuns(workspace, { ...workspace, 'unrelated/file': 'changed' });
    expect(runs).toBe(1);
    expect(value).toEqual({ text: workspace['a/Dockerfile'], other: false, dir: true });
    expect([second.hits, second.misses, second.changed]).toEqual([1, 0, false]);
  });

  test.each([
    ['a file it read changes', { ...workspace, 'a/Dockerfile': 'FROM x\n' }],
    ['a file it read disappears', { 'libs/y/z.py': '' }],
    ['a path it checked becomes a file', { ...workspace, 'a/other': '' }],
    ['a directory it checked disappears', { 'a/Dockerfile': workspace['a/Dockerfile'] }],
  ])('recomputes when %s', (_case, after) => {
    const { runs, value, second } = twoRuns(workspace, after);
    expect(runs).toBe(2);
    expect(value).toEqual({
      text: after['a/Dockerfile' as keyof typeof after] ?? null,
      other: 'a/other' in after,
      dir: 'libs/y/z.py' in after,
    });
    expect(second.changed).toBe(true);
  });

  test('recomputes when a file it found missing appears', () => {
    const { runs } = twoRuns({ 'libs/y/z.py': '' }, workspace);
    expect(runs).toBe(2);
  });

  test('drops everything stored by another build of the plugin (its inference may differ)', () => {
    expect(twoRuns(workspace, workspace, 'v2').runs).toBe(2);
  });

  test('stores only the entries this run used, so a removed project leaves the cache', () => {
    const files = memoryWorkspaceFiles(workspace);
    const first = new InferenceCache('v1');
    first.get('a', files, () => 1);
    first.get('b', files, () => 2);
    const second = new InferenceCache('v1', first.toStored());
    expect(second.get('a', files, () => 3)).toBe(1);
    expect(second.changed).toBe(true);
    expect(Object.keys(second.toStored().entries)).toEqual(['a']);
  });
});
