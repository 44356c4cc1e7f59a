// The content tag changes exactly when something that reaches the image changes.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { contextFilter, readDockerContext } from '../docker/context';
import { diskWorkspaceFiles } from '../workspace-files';
import { createHash, randomBytes } from 'node:crypto';
import { CONTENT_TAG_PATTERN, computeContentTag, fileDigest, listContext, WHOLE_READ_BYTES, type ContentTagInput } from './content-tag';

let root: string;
const write = (rel: string, text: string) => {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
};
const input = (change: Partial<ContentTagInput> = {}): ContentTagInput => ({
  workspaceRoot: root,
  contextDir: join(root, 'apps/svc'),
  dockerfilePath: join(root, 'apps/svc/Dockerfile'),
  platforms: ['linux/arm64'],
  ...change,
});
const tag = (change: Partial<ContentTagInput> = {}) => computeContentTag(input(change));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'content-tag-'));
  write('apps/svc/Dockerfile', 'FROM base\nCOPY . /app\n');
  write('apps/svc/main.py', 'print("hi")\n');
  write('apps/svc/pkg/util.py', 'X = 1\n');
  write('apps/svc/.dockerignore', 'notes.md\n__pycache__\n');
  write('apps/svc/notes.md', 'ignored\n');
  write('apps/svc/__pycache__/main.pyc', 'bytes');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('computeContentTag', () => {
  it('is content-<24 hex> and repeatable', async () => {
    const first = await tag();
    expect(first).toMatch(CONTENT_TAG_PATTERN);
    await expect(tag()).resolves.toBe(first);
  });

  it('does not change when timestamps change', async () => {
    const before = await tag();
    utimesSync(join(root, 'apps/svc/main.py'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    await expect(tag()).resolves.toBe(before);
  });

  it('does not change when an ignored file or directory changes', async () => {
    const before = await tag();
    write('apps/svc/notes.md', 'changed\n');
    write('apps/svc/__pycache__/other.pyc', 'more');
    await expect(tag()).resolves.toBe(before);
  });

  it('does not depend on the order in which files were created (listing order)', async () => {
    const before = await tag();
    const other = mkdtempSync(join(tmpdir(), 'content-tag-'));
    const saved = root;
    try {
      root = other;
      write('apps/svc/pkg/util.py', 'X = 1\n');
      write('apps/svc/__pycache__/main.pyc', 'other bytes');
      write('apps/svc/notes.md', 'different, ignored\n');
      write('apps/svc/.dockerignore', 'notes.md\n__pycache__\n');
      write('apps/svc/main.py', 'print("hi")\n');
      write('apps/svc/Dockerfile', 'FROM base\nCOPY . /app\n');
      await expect(tag()).resolves.toBe(before);
    } finally {
      root = saved;
      rmSync(other, { recursive: true, force: true });
    }
  });

  test.each<[string, () => void]>([
    ['a source file changes', () => write('apps/svc/main.py', 'print("bye")\n')],
    ['a file is added', () => write('apps/svc/pkg/new.py', '')],
    [
      'a file is renamed',
      () => {
        rmSync(join(root, 'apps/svc/pkg/util.py'));
        write('apps/svc/pkg/util2.py', 'X = 1\n');
      },
    ],
    ['an empty directory is added', () => mkdirSync(join(root, 'apps/svc/data'))],
    ['a file becomes executable', () => chmodSync(join(root, 'apps/svc/main.py'), 0o755)],
    ['a symlink is added', () => symlinkSync('main.py', join(root, 'apps/svc/link.py'))],
    ['the Dockerfile changes', () => write('apps/svc/Dockerfile', 'FROM base\nCOPY . /srv\n')],
    ['.dockerignore stops ignoring a file', () => write('apps/svc/.dockerignore', '__pycache__\n')],
    [
      'the ignore file changes at all (Nx hashes its text too)',
      () => write('apps/svc/.dockerignore', '# reviewed\nnotes.md\n__pycache__\n'),
    ],
    ['a <Dockerfile>.dockerignore appears and takes over', () => write('apps/svc/Dockerfile.dockerignore', 'notes.md\n__pycache__\n')],
  ])('changes when %s', async (_name, change) => {
    const before = await tag();
    change();
    await expect(tag()).resolves.not.toBe(before);
  });

  it('does not change when a context file the Dockerfile never reads changes', async () => {
    write('apps/svc/Dockerfile', 'FROM base\nCOPY main.py pkg/ /app/\n');
    write('apps/svc/README.md', 'docs\n');
    const before = await tag();
    write('apps/svc/README.md', 'more docs\n');
    write('apps/svc/tests/test_x.py', 'assert True\n');
    await expect(tag()).resolves.toBe(before);
    write('apps/svc/pkg/util.py', 'X = 2\n');
    await expect(tag()).resolves.not.toBe(before);
  });

  test.each<[string, Partial<ContentTagInput>, Partial<ContentTagInput>, boolean]>([
    ['build args in another order: same', { buildArgs: { A: '1', B: '2' } }, { buildArgs: { B: '2', A: '1' } }, true],
    ['a build arg value: different', { buildArgs: { A: '1' } }, { buildArgs: { A: '2' } }, false],
    ['a build arg name: different', { buildArgs: { A: '1' } }, { buildArgs: { B: '1' } }, false],
    ['an undefined build arg is no build arg', { buildArgs: { A: undefined } }, {}, true],
    ['the target: different', { target: 'a' }, { target: 'b' }, false],
    [
      'platforms in another order: same',
      { platforms: ['linux/arm64', 'linux/amd64'] },
      { platforms: ['linux/amd64', 'linux/arm64'] },
      true,
    ],
    ['the platforms: different', { platforms: ['linux/arm64'] }, { platforms: ['linux/amd64'] }, false],
  ])('%s', async (_name, a, b, same) => {
    const [ta, tb] = [await tag(a), await tag(b)];
    expect(ta === tb).toBe(same);
  });
});

describe('fileDigest', () => {
  it('streams a file of many read buffers to the same sha256 as the whole content (a 2 GiB+ file: the fault suite)', async () => {
    const bytes = randomBytes(1024 * 1024 + 17);
    write('big.bin', '');
    writeFileSync(join(root, 'big.bin'), bytes);
    await expect(fileDigest(join(root, 'big.bin'))).resolves.toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it.each([
    ['read whole (at the limit)', WHOLE_READ_BYTES],
    ['streamed (one byte over)', WHOLE_READ_BYTES + 1],
    ['empty', 0],
  ])('a file %s hashes to the sha256 of its bytes', async (_name, size) => {
    const bytes = randomBytes(size);
    writeFileSync(join(root, 'f.bin'), bytes);
    await expect(fileDigest(join(root, 'f.bin'), size)).resolves.toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});

describe('listContext', () => {
  const list = async (dockerfile: string, contextDir: string) => {
    const context = readDockerContext({ dockerfile, contextDir }, diskWorkspaceFiles(root));
    return (await listContext(join(root, contextDir), contextFilter(context))).map((entry) => entry.split(' ')[1]);
  };

  it('lists a workspace-root context through an allow-list: only the re-included trees', async () => {
    write('apps/svc/Dockerfile.dockerignore', '*\n!apps/svc/\n!libs/common/\napps/svc/__pycache__\n');
    write('libs/common/lib.py', '');
    write('libs/other/x.py', '');
    write('node_modules/pkg/index.js', '');
    expect(await list('apps/svc/Dockerfile', '')).toEqual([
      'apps/svc',
      'apps/svc/.dockerignore',
      'apps/svc/Dockerfile',
      'apps/svc/Dockerfile.dockerignore',
      'apps/svc/main.py',
      'apps/svc/notes.md',
      'apps/svc/pkg',
      'apps/svc/pkg/util.py',
      'libs/common',
      'libs/common/lib.py',
    ]);
  });

  it('re-includes a file below an ignored directory when a ! rule names it', async () => {
    write('node_modules/keep/a.js', '');
    write('node_modules/drop/b.js', '');
    write('.dockerignore', 'node_modules\n!node_modules/keep\n');
    write('Dockerfile', 'FROM base\nCOPY . /app\n');
    const paths = (await list('Dockerfile', '')).filter((p) => p?.startsWith('node_modules'));
    expect(paths).toEqual(['node_modules/keep', 'node_modules/keep/a.js']);
  });

  it('lists only what the Dockerfile copies', async () => {
    write('apps/svc/Dockerfile', 'FROM base\nCOPY pkg /app/pkg\nRUN --mount=type=bind,source=main.py,target=/m.py true\n');
    expect(await list('apps/svc/Dockerfile', 'apps/svc')).toEqual(['main.py', 'pkg', 'pkg/util.py']);
  });
});
