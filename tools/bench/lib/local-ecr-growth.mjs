// The local-ecr growth figure: N GetAuthorizationToken calls against a fresh instance; what they cost in state file
// bytes, state file writes and resident memory of the serving process.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalEcr } from './local-ecr.mjs';

const TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';

/** VmRSS and VmHWM (peak) of a process, in MB. */
function memoryMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

function tokenCall(endpoint, agent) {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        agent,
        headers: { 'x-amz-target': TARGET, 'content-type': 'application/x-amz-json-1.1' },
      },
      (answer) => {
        answer.resume();
        answer.on('end', () =>
          answer.statusCode === 200 ? resolve() : reject(new Error(`GetAuthorizationToken answered ${answer.statusCode}`)),
        );
      },
    );
    sent.on('error', reject);
    sent.end('{}');
  });
}

/** Runs the figure; `requests` calls over `concurrency` keep-alive connections. */
export async function measureTokenGrowth({ requests = 100_000, concurrency = 32 } = {}) {
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-local-ecr-growth-'));
  const ecr = await startLocalEcr(stateDir);
  try {
    const stateFile = join(stateDir, 'state.json');
    const health = async () => (await (await globalThis.fetch(`${ecr.endpoint}/_local-ecr/health`)).json()).stateWrites;
    await ecr.createRepository('growth/app');
    const before = { bytes: statSync(stateFile).size, writes: await health(), memory: memoryMb(ecr.pid) };
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const started = Date.now();
    // Measured at half-way and at the end: memory that stays flat between the two is bounded, not leaking.
    const calls = async (count) => {
      let left = count;
      const worker = async () => {
        for (; left > 0; left -= 1) await tokenCall(ecr.endpoint, agent);
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    };
    await calls(Math.floor(requests / 2));
    const half = { bytes: statSync(stateFile).size, writes: await health(), memory: memoryMb(ecr.pid) };
    await calls(requests - Math.floor(requests / 2));
    const seconds = (Date.now() - started) / 1000;
    agent.destroy();
    const after = { bytes: statSync(stateFile).size, writes: await health(), memory: memoryMb(ecr.pid) };
    return { requests, seconds, before, half, after };
  } finally {
    await ecr.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

export function growthTable({ requests, seconds, before, half, after }) {
  const mb = (n) => `${n.toFixed(0)} MB`;
  const n = (count) => count.toLocaleString('en');
  return `| GetAuthorizationToken calls | 0 | ${n(Math.floor(requests / 2))} | ${n(requests)} |
|---|---|---|---|
| state.json | ${before.bytes} B | ${half.bytes} B | ${after.bytes} B |
| state file writes | ${before.writes} | ${half.writes} | ${after.writes} |
| local-ecr resident memory (peak) | ${mb(before.memory.rss)} (${mb(before.memory.peak)}) | ${mb(half.memory.rss)} (${mb(half.memory.peak)}) | ${mb(after.memory.rss)} (${mb(after.memory.peak)}) |

${(requests / seconds).toFixed(0)} calls/s over 32 keep-alive connections (${seconds.toFixed(1)} s). Passwords are signed, not stored: issuing one writes nothing.`;
}
