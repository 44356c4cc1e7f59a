// Build cache on the real engine. The engine here is Debian's docker.io 20.10 (docker driver, embedded BuildKit
// v0.8), which exports no cache but inline, and docker-container builders need moby/buildkit from Docker Hub,
// which this machine cannot reach. So reuse is proven through the registry: inline cache pushed, local cache
// pruned, rebuilt with cacheFrom type=registry. A local-directory cacheTo is checked to fail early, in one line.
import { docker, sh } from '../support/docker';
import { baseRegistry, busyboxBase } from '../support/toolchain';
import { PROJECT_ROOT, TempWorkspace } from './harness';

const run = `${process.pid}-${Date.now().toString(36)}`;

/** Registered by docker-arm64-build.spec.ts (one spec file, see there). */
export function cacheCases(): void {
  describe('docker-arm64-build cache on the real engine', () => {
    const ws = new TempWorkspace();
    const imageName = `${baseRegistry}/dab-e2e/cache-${run}`;

    beforeAll(() => {
      // The RUN writes a fresh random value: the same value after a rebuild means the layer came from the cache.
      ws.write(`${PROJECT_ROOT}/Dockerfile`, `FROM ${busyboxBase}\nRUN cat /proc/sys/kernel/random/uuid > /stamp\n`);
    });
    afterAll(() => ws.dispose());

    it('reuses the cache of a pushed build after the local build cache is pruned (cacheTo inline, cacheFrom registry)', async () => {
      const first = await ws.build({ imageName, push: true, cacheTo: 'type=inline' });
      expect(first.success).toBe(true);
      const { contentTag } = ws.record();
      const stamp = docker('run', '--rm', '--platform', 'linux/arm64', `${imageName}:${contentTag}`, 'cat', '/stamp').trim();
      expect(stamp).toMatch(/^[0-9a-f-]{36}$/);

      sh('docker', ['image', 'rm', '-f', `${imageName}:${contentTag}`, `${imageName}:latest`]);
      docker('builder', 'prune', '-af');

      const second = await ws.build({ imageName, cacheFrom: [`type=registry,ref=${imageName}:latest`] });
      expect(second.success).toBe(true);
      const output = second.runs.map((r) => r.stderr).join('\n');
      expect(output).toContain(`importing cache manifest from ${imageName}:latest`);
      expect(output).toMatch(/\] RUN cat \/proc\/sys\/kernel\/random\/uuid > \/stamp\n(#\d+ .*\n)*#\d+ CACHED/);
      expect(docker('run', '--rm', '--platform', 'linux/arm64', `${imageName}:${contentTag}`, 'cat', '/stamp').trim()).toBe(stamp);
    });

    it('without a cache source, the same RUN runs again and gives a new value (so the check above can fail)', async () => {
      const before = docker('run', '--rm', '--platform', 'linux/arm64', `${imageName}:latest`, 'cat', '/stamp').trim();
      const again = await ws.build({ imageName, noCache: true });
      expect(again.success).toBe(true);
      expect(docker('run', '--rm', '--platform', 'linux/arm64', `${imageName}:latest`, 'cat', '/stamp').trim()).not.toBe(before);
    });

    it('refuses a local-directory cacheTo on the docker driver before building, naming builder and createBuilder', async () => {
      const outcome = await ws.build({
        imageName,
        cacheTo: 'type=local,dest=tmp/buildx-cache',
        cacheFrom: 'type=local,src=tmp/buildx-cache',
      });
      expect(outcome.success).toBe(false);
      expect(outcome.logs.filter((l) => l.startsWith('error: '))).toEqual([
        'error: cacheTo "type=local,dest=tmp/buildx-cache" needs a ' +
          'docker-container or remote builder, and builder "default" uses ' +
          'the docker driver, which exports only type=inline: set builder ' +
          '(and createBuilder: true), or use cacheTo "type=inline".',
      ]);
      expect(outcome.runs.some((r) => r.command.includes('buildx build'))).toBe(false);
    });
  });
}
