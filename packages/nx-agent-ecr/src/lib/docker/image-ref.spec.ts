// Image references as Docker reads them.
import { formatImageRef, parseImageRef, registryBaseUrl } from './image-ref';

const digest = `sha256:${'a'.repeat(64)}`;

describe('parseImageRef', () => {
  test.each([
    ['python:3.12-slim', { registry: 'docker.io', repository: 'library/python', tag: '3.12-slim' }],
    ['bitnami/redis', { registry: 'docker.io', repository: 'bitnami/redis' }],
    [
      'public.ecr.aws/docker/library/python:3.14-slim',
      { registry: 'public.ecr.aws', repository: 'docker/library/python', tag: '3.14-slim' },
    ],
    ['127.0.0.1:5000/base/busybox:arm64', { registry: '127.0.0.1:5000', repository: 'base/busybox', tag: 'arm64' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    [`ghcr.io/astral-sh/uv:0.5@${digest}`, { registry: 'ghcr.io', repository: 'astral-sh/uv', tag: '0.5', digest }],
    [`alpine@${digest}`, { registry: 'docker.io', repository: 'library/alpine', digest }],
  ])('%s', (text, expected) => {
    expect(parseImageRef(text)).toEqual(expected);
    expect(formatImageRef(parseImageRef(text)!)).toBe(text);
  });

  test.each(['', 'UPPER/case', 'a@sha256:short', 'x y', 'python:'])('%j is no reference', (text) => {
    expect(parseImageRef(text)).toBeUndefined();
  });
});

describe('registryBaseUrl', () => {
  test.each([
    ['docker.io', 'https://registry-1.docker.io'],
    ['127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['localhost:5000', 'http://localhost:5000'],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
  ])('%s → %s', (registry, url) => expect(registryBaseUrl(registry)).toBe(url));
});
