// The foundation's proof: buildx builds a linux/arm64 image on this x86_64 machine, from a base in a registry.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, sh } from './support/docker';
import { busyboxBase } from './support/toolchain';

describe('container toolchain', () => {
  let dir: string;
  const tag = `nx-agent-ecr-e2e/toolchain:${process.pid}`;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'toolchain-'));
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${busyboxBase}\nRUN uname -m | tee /arch\n`);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    sh('docker', ['image', 'rm', '-f', tag]);
  });

  it('runs a RUN step of a linux/arm64 build under emulation, and it prints aarch64', () => {
    const build = sh('docker', [
      'buildx',
      'build',
      '--platform',
      'linux/arm64',
      '--progress',
      'plain',
      '--no-cache',
      '--load',
      '-t',
      tag,
      dir,
    ]);
    expect(build.status).toBe(0);
    expect(build.stderr).toMatch(/RUN uname -m[\s\S]*\baarch64\b/);
    expect(docker('image', 'inspect', '--format', '{{.Architecture}}', tag).trim()).toBe('arm64');
    expect(docker('run', '--rm', '--platform', 'linux/arm64', tag, 'cat', '/arch').trim()).toBe('aarch64');
  });
});
