// The images a Dockerfile builds on, as BuildKit reads them: ARG defaults and build args, stage names, the stages the
// target reaches, COPY --from and RUN --mount from images, and FROM --platform stages.
import { baseReferences, expand, type BaseReferenceInput } from './base-images';

const input = (dockerfileText: string, change: Partial<BaseReferenceInput> = {}): BaseReferenceInput => ({
  dockerfileText,
  dockerfile: 'apps/svc/Dockerfile',
  buildArgs: {},
  platforms: ['linux/arm64'],
  hostPlatform: 'linux/amd64',
  ...change,
});
const refs = (text: string, change: Partial<BaseReferenceInput> = {}) =>
  baseReferences(input(text, change)).map((r) => `${r.instruction} ${r.ref}${r.platform === 'any' ? ' (any)' : ''}`);

describe('baseReferences', () => {
  test.each<[string, string, Partial<BaseReferenceInput>, string[]]>([
    ['a literal FROM', 'FROM python:3.12-slim\nRUN true\n', {}, ['FROM python:3.12-slim']],
    ['an ARG default', 'ARG BASE=python:3.12\nFROM ${BASE}\n', {}, ['FROM python:3.12']],
    [
      'a build arg over the ARG default',
      'ARG BASE=python:3.12\nFROM $BASE\n',
      { buildArgs: { BASE: 'python:3.13' } },
      ['FROM python:3.13'],
    ],
    ['an ARG default with a fallback', 'ARG TAG\nFROM python:${TAG:-3.11}-slim\n', {}, ['FROM python:3.11-slim']],
    [
      'stage names are stages, not images; COPY --from and RUN --mount from images count',
      'FROM python:3.12 AS build\nRUN --mount=type=bind,from=alpine:3.20,source=/etc,target=/x true\nFROM build AS test\nFROM gcr.io/distroless/python3\nCOPY --from=build /app /app\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/\n',
      {},
      ['FROM python:3.12', 'RUN --mount from alpine:3.20', 'FROM gcr.io/distroless/python3', 'COPY --from ghcr.io/astral-sh/uv:0.5'],
    ],
    [
      'only the stages the target reaches',
      'FROM python:3.12 AS app\nFROM nvidia/cuda:12 AS gpu\n',
      { target: 'app' },
      ['FROM python:3.12'],
    ],
    ['scratch is nothing to resolve', 'FROM scratch\nCOPY x /x\n', {}, []],
    [
      'a stage with its own --platform is pinned as a whole',
      'FROM --platform=$BUILDPLATFORM golang:1.23 AS b\nFROM alpine\nCOPY --from=b /x /x\n',
      {},
      ['FROM golang:1.23 (any)', 'FROM alpine'],
    ],
    ['TARGETARCH in a FROM, one platform', 'FROM base-${TARGETARCH}:1\n', {}, ['FROM base-arm64:1']],
  ])('%s', (_name, text, change, expected) => expect(refs(text, change)).toEqual(expected));

  test.each<[string, string, Partial<BaseReferenceInput>, RegExp]>([
    [
      'a different image per platform',
      'FROM base-${TARGETARCH}:1\n',
      { platforms: ['linux/arm64', 'linux/amd64'] },
      /names a different image per platform \(base-arm64:1, base-amd64:1\): build one platform per target/,
    ],
    ['a target that is no stage', 'FROM python:3.12 AS app\n', { target: 'ap' }, /^target "ap" is no stage of apps\/svc\/Dockerfile/],
    [
      'an ARG without a value',
      'ARG BASE\nFROM ${BASE}\n',
      {},
      /^FROM \$\{BASE\} in apps\/svc\/Dockerfile expands to "", which is no image reference: set the build arg it uses\.$/,
    ],
  ])('refuses %s in one line', (_name, text, change, message) => {
    expect(() => baseReferences(input(text, change))).toThrow(message);
  });

  it('keeps where each reference is written, for pinning', () => {
    const [from] = baseReferences(input('ARG B=python:3\nFROM   ${B} AS x\n'));
    expect(from).toMatchObject({
      written: '${B}',
      ref: 'python:3',
      range: { start: { line: 1, character: 7 }, end: { line: 1, character: 11 } },
    });
  });
});

describe('expand', () => {
  const vars = new Map([
    ['A', 'a'],
    ['EMPTY', ''],
  ]);
  test.each([
    ['$A/${A}', 'a/a'],
    ['${EMPTY:-d}|${EMPTY-d}|${UNSET-d}', 'd||d'],
    ['${A:+x}|${EMPTY:+x}|${EMPTY+x}|${UNSET+x}', 'x||x|'],
    ['$UNSET', ''],
  ])('%s → %s', (text, expected) => expect(expand(text, vars)).toBe(expected));
});
