// The machine is read with its three docker commands at once, and still reported in the order a user fixes it.
import { probeMachine, readMachine } from './machine';
import type { ProcessRunner, RunResult } from '../process';

const INSPECT = 'Name: default\nDriver: docker\n\nNodes:\nName: default\nPlatforms: linux/amd64, linux/arm64\n';

/** A runner whose calls stay pending until the test answers them (`answer`), in any order. */
function held() {
  const pending = new Map<string, (result: Partial<RunResult>) => void>();
  const run: ProcessRunner = (file, args) =>
    new Promise((resolve) => {
      const command = [file, ...args].join(' ');
      pending.set(command, (result) =>
        resolve({ command, exitCode: 0, stdout: '', stderr: '', canceled: false, durationMs: 1, ...result }),
      );
    });
  const answer = (prefix: string, result: Partial<RunResult>) => {
    const key = [...pending.keys()].find((command) => command.startsWith(prefix));
    if (!key) throw new Error(`no pending call starts with "${prefix}": ${[...pending.keys()].join('; ')}`);
    pending.get(key)?.(result);
    pending.delete(key);
  };
  return { run, pending, answer };
}

const machine = { hostArch: 'x64', binfmtRegistered: () => true };

describe('readMachine', () => {
  it('starts docker version, buildx version and buildx inspect before any of them answers', async () => {
    const h = held();
    const reading = readMachine(h.run, 'ci');
    expect([...h.pending.keys()]).toEqual([
      'docker version --format {{.Server.Version}}',
      'docker buildx version',
      'docker buildx inspect ci',
    ]);
    h.answer('docker buildx inspect', { stdout: INSPECT });
    h.answer('docker buildx version', { stdout: 'github.com/docker/buildx v0.19.3 abc' });
    h.answer('docker version', { stdout: '28.2.2\n' });
    await expect(reading).resolves.toEqual({
      serverVersion: '28.2.2',
      buildxVersion: 'v0.19.3',
      builder: { name: 'default', driver: 'docker', platforms: ['linux/amd64', 'linux/arm64'] },
    });
  });

  it("reports an unreachable daemon first, even when buildx's answer came before it", async () => {
    const h = held();
    const reading = readMachine(h.run);
    h.answer('docker buildx version', { exitCode: 1, stderr: "docker: 'buildx' is not a docker command." });
    h.answer('docker buildx inspect', { exitCode: 1 });
    h.answer('docker version', { exitCode: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.' });
    await expect(reading).rejects.toThrow(/^Cannot reach the Docker daemon \(Cannot connect to the Docker daemon/);
  });

  it('a missing builder is no error of the reading: probeMachine says what to do with it', async () => {
    const h = held();
    const probe = probeMachine(h.run, { platforms: ['linux/arm64'], builder: 'ci', createBuilder: false, cacheTo: [] }, machine);
    h.answer('docker version', { stdout: '28.2.2' });
    h.answer('docker buildx version', { stdout: 'github.com/docker/buildx v0.19.3 abc' });
    h.answer('docker buildx inspect ci', { exitCode: 1 });
    // ensureBuilder looks once more before it refuses.
    await new Promise((resolve) => setImmediate(resolve));
    h.answer('docker buildx inspect ci', { exitCode: 1 });
    await expect(probe).rejects.toThrow(/^buildx builder "ci" not found: create it/);
  });

  it('probeMachine judges a reading it is given without running anything', async () => {
    const run: ProcessRunner = () => Promise.reject(new Error('no process may start'));
    const reading = async () => ({
      serverVersion: '28.2.2',
      buildxVersion: '0.13.1',
      builder: { name: 'default', driver: 'docker', platforms: ['linux/amd64', 'linux/arm64'] },
    });
    const needs = { platforms: ['linux/arm64'], createBuilder: false, cacheTo: ['type=registry,ref=r/cache'] };
    await expect(probeMachine(run, needs, machine, reading)).rejects.toThrow(
      /^cacheTo "type=registry,ref=r\/cache" needs a docker-container/,
    );
  });
});
