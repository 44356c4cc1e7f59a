// Record files are replaced whole or not at all: no half-written file, no temp file left behind.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonRecord, writeJsonAtomic } from './json-file';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'json-file-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const isNamed = (value: unknown): value is { name: string } => typeof (value as { name?: unknown })?.name === 'string';
const what = { name: 'Test record', fields: 'name', fix: 'delete it' };

describe('writeJsonAtomic', () => {
  it('creates the directory, writes pretty JSON with a final newline, and leaves only the record', async () => {
    const path = join(dir, 'a', 'b', 'r.json');
    await expect(writeJsonAtomic(path, { name: 'x' })).resolves.toBe(path);
    expect(readFileSync(path, 'utf8')).toBe('{\n  "name": "x"\n}\n');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['r.json']);
  });

  it('keeps the old record and removes its temp file when the rename fails', async () => {
    const path = join(dir, 'r.json');
    mkdirSync(path); // a directory where the record should go: rename() fails with EISDIR
    await expect(writeJsonAtomic(path, { name: 'new' })).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['r.json']);
  });
});

describe('readJsonRecord', () => {
  it('is undefined when the file does not exist', async () => {
    await expect(readJsonRecord(join(dir, 'none.json'), isNamed, what)).resolves.toBeUndefined();
  });

  test.each([
    ['{broken', 'is not valid JSON: delete it.'],
    ['{"other":1}', 'lacks name: delete it.'],
  ])('names the file, the problem and the fix for %s', async (text, message) => {
    const path = join(dir, 'r.json');
    writeFileSync(path, text);
    await expect(readJsonRecord(path, isNamed, what)).rejects.toThrow(`Test record ${path} ${message}`);
  });
});
