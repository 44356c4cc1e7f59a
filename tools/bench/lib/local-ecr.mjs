// Starts local-ecr in a child process for the benchmark and reads its per-repository counters over the admin API.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';

const child = join(dirname(fileURLToPath(import.meta.url)), 'local-ecr-child.mjs');

/**
 * Starts local-ecr over `stateDir` on a free loopback port; resolves once it serves. `apiLatencyMs` delays every ECR
 * API and STS answer by that much (the round trip to AWS a CI runner pays; 0: loopback speed).
 */
export function startLocalEcr(stateDir, { apiLatencyMs = 0 } = {}) {
  // stdin stays open: the child stops itself when it closes, so local-ecr never outlives the benchmark.
  const proc = spawn(process.execPath, [child, stateDir, String(apiLatencyMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.on('error', reject);
    proc.on('exit', (code) => reject(new Error(`local-ecr exited ${code} before it served`)));
    proc.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (!out.includes('\n')) return;
      proc.removeAllListeners('exit');
      proc.stdout.removeAllListeners('data');
      proc.stdout.resume();
      const { endpoint, registryHost, env, adminSecret, pid } = JSON.parse(out.split('\n')[0]);
      const admin = (path, method = 'GET') =>
        globalThis.fetch(`${endpoint}/_local-ecr${path}`, { method, headers: { 'x-local-ecr-secret': adminSecret } }).then((r) => r.json());
      resolve({
        endpoint,
        registryHost,
        env,
        /** The process that serves (for its memory figures). */
        pid,
        /** Sum of blob uploads, bytes received and manifest puts over all repositories; ECR API and STS calls. */
        totals: async () => {
          const { repositories, calls } = await admin('/stats');
          const sum = { blobUploads: 0, bytesReceived: 0, manifestPuts: 0 };
          for (const r of Object.values(repositories)) for (const k of Object.keys(sum)) sum[k] += r[k] ?? 0;
          return { ...sum, apiCalls: Object.values(calls ?? {}).reduce((a, b) => a + b, 0) };
        },
        resetStats: () => admin('/stats/reset', 'POST'),
        /** CreateRepository through the ECR API (what the growth figure needs before it starts). */
        createRepository: (repositoryName) =>
          globalThis
            .fetch(endpoint, {
              method: 'POST',
              headers: {
                'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.CreateRepository',
                'content-type': 'application/x-amz-json-1.1',
              },
              body: JSON.stringify({ repositoryName }),
            })
            .then((r) => r.json()),
        stop: () =>
          new Promise((done) => {
            proc.on('exit', () => done());
            proc.kill('SIGTERM');
          }),
      });
    });
  });
}
