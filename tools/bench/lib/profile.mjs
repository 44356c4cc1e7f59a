// Where the time of a nothing-changed run goes: CPU profiles of every node process (cpu-profile-hook.mjs), by phase.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processRole } from './measure.mjs';
import { runScenario } from './scenarios.mjs';

const hook = join(dirname(fileURLToPath(import.meta.url)), 'cpu-profile-hook.mjs');
const LOADER = /^node:internal\/modules|\/pirates\/|@swc-node\/register|@swc\/core/;

/** The phase a sampled stack belongs to, from its frames (leaf first). */
export function category(frames) {
  const leaf = frames[0];
  if (leaf.functionName === '(idle)') return 'idle: waiting on child processes (docker, git) and sockets (ECR, STS)';
  if (leaf.functionName === '(garbage collector)') return 'garbage collection';
  const url = frames.find((f) => f.url)?.url ?? '';
  if (frames.some((f) => LOADER.test(f.url) || f.functionName === 'require')) {
    if (/@swc|swc-node|pirates/.test(url)) return 'loading: TypeScript transpile (@swc-node/register)';
    if (/@aws-sdk|@smithy|@aws-crypto/.test(url)) return 'loading: AWS SDK modules (top-level code)';
    if (/node_modules\/(nx|@nx)\//.test(url)) return 'loading: Nx / devkit modules';
    if (/nx-agent-ecr\//.test(url)) return 'loading: plugin modules (top-level code)';
    if (url.startsWith('node:')) return 'loading: resolve, read and compile (node module loader)';
    return 'loading: other packages (execa, dotenv, yaml, ...)';
  }
  if (/nx-agent-ecr\/(src|dist)\/lib\/content\//.test(url)) return 'content tag: walking and hashing the build context';
  if (/@aws-sdk|@smithy|@aws-crypto/.test(url)) return 'AWS SDK (ECR/STS calls, signing, parsing)';
  if (/nx-agent-ecr\//.test(url)) return 'plugin code (other)';
  if (/node_modules\/(nx|@nx)\//.test(url)) return 'Nx (graph, hashing, task orchestration)';
  if (leaf.functionName === '(program)') return 'V8 / native (program)';
  return url.startsWith('node:') ? 'node internals (fs, streams, child processes)' : 'other';
}

/** Milliseconds per category in one .cpuprofile. */
export function profileBreakdown(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const cat = new Map();
  const categoryOf = (id) => {
    if (!cat.has(id)) {
      const frames = [];
      for (let cur = id; cur !== undefined; cur = parent.get(cur)) frames.push(byId.get(cur).callFrame);
      cat.set(id, category(frames));
    }
    return cat.get(id);
  };
  const ms = {};
  profile.samples.forEach((id, i) => {
    const c = categoryOf(id);
    ms[c] = (ms[c] ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000;
  });
  return { ms, wallMs: (profile.endTime - profile.startTime) / 1000 };
}

/** Runs scenario 4 on `ws` with every node process profiled and returns the breakdown as markdown. */
export async function profileRun({ ws, ecr, env, logDir, sinceMs, batch = false }) {
  const dir = join(logDir, 'cpuprof');
  mkdirSync(dir, { recursive: true });
  const r = await runScenario('s4', {
    ws,
    ecr,
    env: { ...env, BENCH_CPU_PROFILE_DIR: dir },
    logDir,
    sinceMs,
    marker: 'profile',
    nodeOptions: `--import ${hook}`,
    batch,
  });
  const roles = new Map(
    readFileSync(`${r.logFile}.rss`, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .map((n) => [n.pid, processRole(n.argv)]),
  );
  const totals = {};
  const wall = {};
  const processes = {};
  const loaded = {};
  for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.modules.json')) : []) {
    if (roles.get(Number(file.split('.')[0])) !== 'executor') continue;
    loaded.processes = (loaded.processes ?? 0) + 1;
    for (const [pkg, k] of Object.entries(JSON.parse(readFileSync(join(dir, file), 'utf8')))) loaded[pkg] = (loaded[pkg] ?? 0) + k;
  }
  for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : []) {
    const role = roles.get(Number(file.split('.')[0])) ?? 'other';
    const { ms, wallMs } = profileBreakdown(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    processes[role] = (processes[role] ?? 0) + 1;
    wall[role] = (wall[role] ?? 0) + wallMs;
    for (const [c, v] of Object.entries(ms)) (totals[c] ??= {})[role] = ((totals[c] ??= {})[role] ?? 0) + v;
  }
  const cols = ['nx', 'graphPlugin', 'executor'];
  const n = ws.services.length;
  const firstTask = firstTaskMs(r.logFile);
  const lines = [
    `### Where the time goes: scenario 4 with ${n} services, profiled (${(r.wallMs / 1000).toFixed(1)} s wall with the profiler on)`,
    '',
    `Nx start-up until the first task starts: ${(firstTask / 1000).toFixed(1)} ` +
      `s. Processes: ${cols.map((c) => `${processes[c] ?? 0} ${c}`).join(', ')}.`,
    'Milliseconds summed over the processes of each kind (profiles sample every process ' +
      'for its whole life; executors run in parallel, so their sum exceeds the wall time):',
    '',
    '| Phase | nx main | graph plugin workers | executors | executors, per service |',
    '|---|---:|---:|---:|---:|',
    ...Object.entries(totals)
      .sort(([, a], [, b]) => (b.executor ?? 0) - (a.executor ?? 0))
      .map(([c, v]) => `| ${c} | ${cols.map((k) => (v[k] ?? 0).toFixed(0)).join(' | ')} | ${((v.executor ?? 0) / n).toFixed(0)} |`),
    `| **process lifetime** | ${cols.map((k) => (wall[k] ?? 0).toFixed(0)).join(' | ')} | ${((wall.executor ?? 0) / n).toFixed(0)} |`,
  ];
  const perProcess = Object.entries(loaded)
    .filter(([k]) => k !== 'processes')
    .sort(([, a], [, b]) => b - a);
  const total = perProcess.reduce((sum, [, k]) => sum + k, 0) / (loaded.processes || 1);
  lines.push(
    '',
    `Each executor process loads ${total.toFixed(0)} CommonJS modules; the most from: ${perProcess
      .slice(0, 8)
      .map(([pkg, k]) => `${pkg} ${(k / (loaded.processes || 1)).toFixed(0)}`)
      .join(', ')}.`,
  );
  return lines.join('\n');
}

/** ms from the start of the command to Nx's first task header ("> nx run …") in the timed log. */
function firstTaskMs(logFile) {
  const line = readFileSync(logFile, 'utf8')
    .split('\n')
    .find((l) => /Running target|nx run/.test(l.slice(9)));
  return line ? Number(line.slice(0, 7)) : NaN;
}
