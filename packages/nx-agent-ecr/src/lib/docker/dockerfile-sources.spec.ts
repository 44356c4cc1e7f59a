import { dockerfileSources, normalizeContextPath } from './dockerfile-sources';

const paths = (text: string) => dockerfileSources(text).map((source) => source.path);

describe('dockerfileSources', () => {
  test.each([
    ['a plain COPY', 'FROM x\nCOPY requirements.txt ./\n', ['requirements.txt']],
    ['several sources, last argument is the destination', 'FROM x\nCOPY a b/ ./c /dst/\n', ['a', 'b', 'c']],
    ['the JSON form', 'FROM x\nCOPY ["libs/agent-common", "/libs/agent-common"]\n', ['libs/agent-common']],
    ['flags before the sources', 'FROM x\nCOPY --chown=1:1 --chmod=644 src /app/src\n', ['src']],
    ['ADD of a local path', 'FROM x\nADD --chmod=644 src/*.py /app/\n', ['src/*.py']],
    ['line continuations', 'FROM x\nCOPY a \\\n  b /d/\n', ['a', 'b']],
    ['"." is the whole context', 'FROM x\nCOPY . /app\n', ['']],
    ['a variable stands for the whole context', 'FROM x\nARG SRC=src\nCOPY ${SRC} /app\n', ['']],
    ['ignores stage copies', 'FROM x AS build\nFROM y\nCOPY --from=build /a /b\n', []],
    ['ignores image copies', 'FROM y\nCOPY --from=python:3.11 /usr/lib /usr/lib\n', []],
    ['ignores URLs', 'FROM x\nADD https://example.com/a.tgz /tmp/\n', []],
    ['ignores git sources', 'FROM x\nADD git@github.com:o/r.git /src\n', []],
    ['ignores here-documents', 'FROM x\nCOPY <<EOF /x\nhello\nEOF\n', []],
    ['reads RUN bind mounts from the context', 'FROM x\nRUN --mount=type=bind,source=tools/x,target=/t true\n', ['tools/x']],
    ['ignores cache mounts', 'FROM x\nRUN --mount=type=cache,target=/root/.cache pip install x\n', []],
    ['ignores bind mounts from a stage', 'FROM x\nRUN --mount=type=bind,from=b,source=/a,target=/t true\n', []],
    ['removes duplicates, keeps order', 'FROM x\nCOPY b /b\nCOPY a /a\nCOPY ./b /c\n', ['b', 'a']],
    ['normalises ./ and trailing /', 'FROM x\nCOPY ./apps/svc/src/ /app/\n', ['apps/svc/src']],
  ])('%s', (_name, text, expected) => {
    expect(paths(text)).toEqual(expected);
  });

  test('names the instruction each source came from', () => {
    expect(dockerfileSources('FROM x\nADD a /a\nCOPY b /b\n')).toEqual([
      { path: 'a', instruction: 'ADD' },
      { path: 'b', instruction: 'COPY' },
    ]);
  });
});

describe('normalizeContextPath', () => {
  test.each([
    ['./a/b/', 'a/b'],
    ['/a//b', 'a/b'],
    ['.', ''],
    ['a/../b', 'b'],
    ['a\\b', 'a/b'],
  ])('%s -> %s', (raw, expected) => {
    expect(normalizeContextPath(raw)).toBe(expected);
  });
});
