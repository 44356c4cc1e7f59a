// The docker CLI calls of a contract check, against a scripted runner: exit codes are data, refusals are one line.
import type { ProcessRunner, RunResult } from '../process';
import { CheckContainer, inspectImage } from './container';

function runner(answer: Partial<RunResult>): { run: ProcessRunner; calls: string[] } {
  const calls: string[] = [];
  const run: ProcessRunner = async (file, args) => {
    calls.push([file, ...args].join(' '));
    return { command: '', exitCode: 0, stdout: '', stderr: '', canceled: false, durationMs: 1, ...answer };
  };
  return { run, calls };
}

describe('inspectImage', () => {
  it('reads os, architecture, variant, Config.User and the size', async () => {
    const inspect = { Os: 'linux', Architecture: 'arm64', Variant: 'v8', Size: 123, Config: { User: '10001:10001' } };
    const { run } = runner({ stdout: JSON.stringify(inspect) });
    expect(await inspectImage(run, 'svc:1')).toEqual({
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
      user: '10001:10001',
      sizeBytes: 123,
    });
  });

  it('an image without USER reads as the empty user (root)', async () => {
    const { run } = runner({ stdout: JSON.stringify({ Os: 'linux', Architecture: 'arm64', Size: 1, Config: {} }) });
    expect((await inspectImage(run, 'svc:1'))?.user).toBe('');
  });

  it('an image the engine does not hold is undefined, not an error', async () => {
    const { run } = runner({ exitCode: 1, stderr: 'Error: No such image: svc:1' });
    expect(await inspectImage(run, 'svc:1')).toBeUndefined();
  });

  it('any other failure is one line with docker’s reason', async () => {
    const { run } = runner({ exitCode: 1, stderr: 'Cannot connect to the Docker daemon\nmore' });
    await expect(inspectImage(run, 'svc:1')).rejects.toThrow(
      'docker image inspect svc:1 failed (exit 1): Cannot connect to the Docker daemon.',
    );
  });
});

describe('CheckContainer', () => {
  it('reads the published loopback port', async () => {
    const { run, calls } = runner({ stdout: '127.0.0.1:49153\n' });
    expect(await new CheckContainer(run, 'c').publishedPort(8080)).toBe(49153);
    expect(calls).toEqual(['docker port c 8080/tcp']);
  });

  it('a container with no published port is an error naming it', async () => {
    const { run } = runner({ exitCode: 1, stderr: 'Error: No public port 8080/tcp published for c' });
    await expect(new CheckContainer(run, 'c').publishedPort(8080)).rejects.toThrow(
      /docker port c 8080\/tcp gave no port: Error: No public port/,
    );
  });

  it('reads the state, or undefined when the container is gone', async () => {
    const state = { Status: 'exited', Running: false, ExitCode: 3, OOMKilled: false, Error: '' };
    expect(await new CheckContainer(runner({ stdout: JSON.stringify(state) }).run, 'c').state()).toEqual({
      status: 'exited',
      running: false,
      exitCode: 3,
      oomKilled: false,
      error: '',
    });
    expect(await new CheckContainer(runner({ exitCode: 1, stderr: 'No such container: c' }).run, 'c').state()).toBeUndefined();
  });

  it('removing a container that never came to be is not an error; another failure is', async () => {
    await expect(
      new CheckContainer(runner({ exitCode: 1, stderr: 'Error: No such container: c' }).run, 'c').remove(),
    ).resolves.toBeUndefined();
    await expect(new CheckContainer(runner({ exitCode: 1, stderr: 'permission denied' }).run, 'c').remove()).rejects.toThrow(
      'Could not remove container c: permission denied; remove it with docker rm -f c.',
    );
  });

  it('a refused docker run is one line with docker’s reason', async () => {
    const { run } = runner({
      exitCode: 125,
      stderr: 'docker: Error response from daemon: image with reference x was found but does not match the specified platform\n',
    });
    const start = new CheckContainer(run, 'c').start({ image: 'x', platform: 'linux/arm64', containerPort: 1, env: {}, labels: {} });
    await expect(start).rejects.toThrow(/^docker run x failed \(exit 125\): docker: Error response from daemon: image with reference x/);
  });
});
