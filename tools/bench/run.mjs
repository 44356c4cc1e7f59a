#!/usr/bin/env node
// `npm run bench`: the affected-only / skip-by-content benchmark against the seed-style script and raw docker (issue 8).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import console from 'node:console';
import process from 'node:process';
import { docker, engineUp, imageSize, removeBenchImages, sh } from './lib/engine.mjs';
import { startLocalEcr } from './lib/local-ecr.mjs';
import { growthTable, measureTokenGrowth } from './lib/local-ecr-growth.mjs';
import { machineFacts, payloadPackages } from './lib/machine.mjs';
import { profileRun } from './lib/profile.mjs';
import { createGraphWorkspace, graphTable, measureGraph } from './lib/graph-only.mjs';
import { ratios, ratioTable, scenarioLegend, scenarioTable, summarize } from './lib/report.mjs';
import { runScenario } from './lib/scenarios.mjs';
import { createBenchWorkspace } from './lib/workspace.mjs';
import { serviceName } from './lib/generate-services.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const USAGE = `usage: node tools/bench/run.mjs [--quick] [--reps N] [--scale 4,16,64] [--scale-reps N] [--services N]
                               [--graph 4,256] [--graph-reps N] [--changed NAME] [--batch] [--only s1,s2,s3,s4,s5,g]
                               [--settle S] [--api-latency MS] [--profile] [--out FILE] [--keep]
  --quick       smoke run: 1 repetition, scale 4 and 8, graph 4 and 32, no profile
  --reps N      repetitions of scenarios 1-4 (default 3); --scale-reps N for scenario 5 (default: --reps)
  --scale LIST  service counts of scenario 5 (default 4,16,64)
  --services N  services of scenarios 1-4 (default 4)
  --graph LIST  service counts of the graph-only point g (default 4,256): nx show projects with and without the plugin
  --graph-reps N  interleaved pairs per graph-only count (default 5; --quick 2)
  --changed S   the service scenarios 1-3 change (default svc-02, aws-agent-core with the agent-common lib)
  --batch       add --batch to the plugin's nx commands (ecr-push prefers batch mode already: this adds docker-build's)
  --settle S    ecr-push's latestSettleSeconds (default 0, as the generated workflow runs it: one delivery per
                environment at a time; 1 is the executor's own default, the pause after moving latest)
  --api-latency MS  every ECR API and STS answer of local-ecr waits MS ms (default 0: loopback), as AWS does from a
                CI runner (tens of ms a call); raw docker calls no API, so this shows what the plugin's round trips cost
  --only LIST   run only these scenarios (default all: s1,s2,s3,s4,s5,g); the registry seed runs with any of s1-s5
  --profile     always write the phase breakdown (default: only when a target is missed)
  --out FILE    report file (default tools/bench/results/<date>.md; --quick: tmp/bench/<date>-quick.md)
  --keep        keep the scratch workspaces and logs (printed at the end)`;

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    reps: { type: 'string' },
    scale: { type: 'string' },
    'scale-reps': { type: 'string' },
    graph: { type: 'string' },
    'graph-reps': { type: 'string' },
    services: { type: 'string' },
    changed: { type: 'string' },
    batch: { type: 'boolean' },
    only: { type: 'string' },
    settle: { type: 'string' },
    'api-latency': { type: 'string' },
    profile: { type: 'boolean' },
    out: { type: 'string' },
    keep: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const count = (name, text, fallback) => {
  const n = Number(text ?? fallback);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench: --${name} must be a positive integer, got "${text}".\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const reps = count('reps', flags.reps, flags.quick ? 1 : 3);
const scaleReps = count('scale-reps', flags['scale-reps'], reps);
const services = count('services', flags.services, 4);
const scale = (flags.scale ?? (flags.quick ? '4,8' : '4,16,64')).split(',').map((n) => count('scale', n));
const graphCounts = (flags.graph ?? (flags.quick ? '4,32' : '4,256')).split(',').map((n) => count('graph', n));
const graphReps = count('graph-reps', flags['graph-reps'], flags.quick ? 2 : 5);
const only = (flags.only ?? 's1,s2,s3,s4,s5,g').split(',');
for (const id of only) {
  if (!/^(s[1-5]|g)$/.test(id)) {
    console.error(`bench: --only takes scenario ids s1 to s5 and g, got "${id}".\n${USAGE}`);
    process.exit(2);
  }
}
const batch = Boolean(flags.batch);
const settle = flags.settle === undefined ? 0 : Number(flags.settle);
if (!Number.isInteger(settle) || settle < 0 || settle > 60) {
  console.error(`bench: --settle takes whole seconds from 0 to 60, got "${flags.settle}".\n${USAGE}`);
  process.exit(2);
}
const apiLatencyMs = flags['api-latency'] === undefined ? 0 : Number(flags['api-latency']);
if (!Number.isInteger(apiLatencyMs) || apiLatencyMs < 0 || apiLatencyMs > 1000) {
  console.error(`bench: --api-latency takes whole milliseconds from 0 to 1000, got "${flags['api-latency']}".\n${USAGE}`);
  process.exit(2);
}
const ciEnv = `in the environment of the workflow (NX_DAEMON=false, NX_ISOLATE_PLUGINS=false), on Node ${process.versions.node}`;
const settleText =
  settle === 0 ? '--latestSettleSeconds=0 as the workflow passes it' : `--latestSettleSeconds=${settle} (not the workflow's 0)`;
const latencyText = apiLatencyMs ? `, every ECR API and STS call answered after ${apiLatencyMs} ms` : '';
const mode = batch
  ? `the workflow's command plus --batch (docker-build tasks batched too), ${settleText}, ${ciEnv}${latencyText}`
  : `the workflow's command (ecr-push prefers batch mode: Nx runs its tasks in one process), ${settleText}, ${ciEnv}${latencyText}`;
const loadAtStart = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const stamp = new Date().toISOString().slice(0, 16).replace(':', '');
const out =
  flags.out ?? (flags.quick ? join(root, 'tmp', 'bench', `${stamp}-quick.md`) : join(here, 'results', `${stamp.slice(0, 10)}.md`));

const BASE_IMAGE = `127.0.0.1:${process.env.TOOLCHAIN_REGISTRY_PORT ?? '5000'}/base/python:3.11-arm64`;
const CACHE = process.env.BENCH_CACHE ?? '/var/tmp/nx-agent-ecr-bench';
const say = (text) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}`);

function preflight() {
  if (!engineUp()) throw new Error('the docker engine does not answer: run `bash tools/toolchain/setup.sh` first.');
  try {
    docker('pull', '-q', BASE_IMAGE);
  } catch {
    throw new Error(`base image ${BASE_IMAGE} is not in the local registry: run \`bash tools/toolchain/base-images.sh python\` first.`);
  }
}

async function main() {
  const started = Date.now();
  preflight();
  const work = mkdtempSync(join(tmpdir(), 'nx-agent-ecr-bench-'));
  const logDir = join(work, 'logs');
  mkdirSync(logDir);
  say(
    `work dir ${work}; reps ${reps}, scale ${scale.join('/')} × ${scaleReps}; graph ${graphCounts.join('/')} × ${graphReps}; scenarios ${only.join(',')}; ${mode}`,
  );
  const payloadDir = sh('bash', [join(here, 'make-payload.sh'), CACHE]).trim();
  const ecr = await startLocalEcr(join(work, 'local-ecr'), { apiLatencyMs });
  // The generated workflow's environment (.github/workflows/affected-delivery.yml), as CI runs the commands.
  const env = { ...ecr.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_ISOLATE_PLUGINS: 'false', NX_TUI: 'false', CI: 'true' };
  const rows = [];
  const sizes = {};
  const graph = [];
  let profile = '';
  try {
    for (const n of only.includes('g') ? graphCounts : []) {
      say(`graph-only workspace: ${n} services`);
      const gws = await createGraphWorkspace({ dest: join(work, `graph${n}`), count: n, baseImage: BASE_IMAGE });
      // The workflow's setting (plugins in Nx's own process) and Nx's default (one worker process per plugin).
      for (const [label, isolate] of [
        ['off (the workflow)', 'false'],
        ['on (Nx default)', 'true'],
      ]) {
        const point = await measureGraph(gws, { env: { ...env, NX_ISOLATE_PLUGINS: isolate }, logDir, reps: graphReps, label });
        say(`graph ${n}, isolation ${label}: ${(point.withMs / 1000).toFixed(2)} s with the plugin, +${point.addedMs.toFixed(0)} ms`);
        graph.push(point);
      }
      rmSync(gws.root, { recursive: true, force: true });
    }
    if (!only.some((id) => id.startsWith('s'))) {
      const list = ratios(rows, graph);
      const report = render(rows, list, graph, undefined, '', '', Date.now() - started);
      return finish(report);
    }
    const makeWs = async (n, projectName) => {
      say(`workspace: ${n} services (${projectName})`);
      const ws = await createBenchWorkspace({ dest: join(work, projectName), count: n, baseImage: BASE_IMAGE, payloadDir });
      return { ...ws, projectName };
    };
    const run = async (id, ws, marker, reset = true) => {
      const r = await runScenario(id, { ws, ecr, env, logDir, marker, reset, sinceMs: started, changed, batch, settle });
      say(
        `${ws.projectName} ${id} #${marker}: ${(r.wallMs / 1000).toFixed(1)} ` +
          `s, ${r.builds} builds, ${(r.bytesReceived / 1e6).toFixed(1)} MB`,
      );
      return r;
    };

    const ws = await makeWs(services, 'bench');
    const changed = flags.changed ?? ws.services[Math.min(1, services - 1)].name;
    if (!ws.services.some((s) => s.name === changed))
      throw new Error(`--changed ${changed} is not one of ${ws.services.map((s) => s.name).join(', ')}.`);
    rows.push(summarize('First delivery (seed of the registry)', 'seed', [await run('s4', ws, 'seed')], services));
    Object.assign(sizes, imageSizes(ws, BASE_IMAGE));
    const runs = Object.fromEntries(['s1', 's2', 's3', 's4'].filter((id) => only.includes(id)).map((id) => [id, []]));
    for (let rep = 1; rep <= reps; rep++) for (const id of Object.keys(runs)) runs[id].push(await run(id, ws, rep));
    if (runs.s1) rows.push(summarize('Baseline, seed style (every service)', 's1', runs.s1, services));
    if (runs.s2) rows.push(summarize(`Raw docker, the changed service (${changed})`, 's2', runs.s2, 1));
    if (runs.s3) rows.push(summarize(`nx affected, one service changed (${changed})`, 's3', runs.s3, services));
    if (runs.s4) rows.push(summarize('nx run-many, nothing changed, fresh engine', 's4', runs.s4, services));

    let largest = ws;
    for (const n of only.includes('s5') ? scale : []) {
      if (n === services && runs.s4) {
        rows.push(summarize(`Scale ${n}: = scenario 4`, 's5', runs.s4, n));
        continue;
      }
      const wsN = await makeWs(n, `bench${n}`);
      largest = n > largest.services.length ? wsN : largest;
      await run('s4', wsN, 'seed', false);
      const scaleRuns = [];
      for (let rep = 1; rep <= scaleReps; rep++) scaleRuns.push(await run('s4', wsN, rep));
      rows.push(summarize(`Scale ${n}: nx run-many, nothing changed, fresh engine`, 's5', scaleRuns, n));
    }
    const list = ratios(rows, graph);
    if (flags.profile || (!flags.quick && list.some((r) => r.met === false))) {
      say(`phase breakdown: scenario 4 on ${largest.services.length} services with --cpu-prof`);
      profile = await profileRun({ ws: largest, ecr, env, logDir, sinceMs: started, batch });
    }
    say(`local-ecr growth: ${flags.quick ? '20,000' : '100,000'} GetAuthorizationToken calls`);
    const growth = growthTable(await measureTokenGrowth({ requests: flags.quick ? 20_000 : 100_000 }));
    finish(render(rows, list, graph, { ...sizes, payload: payloadPackages(payloadDir) }, profile, growth, Date.now() - started));
  } finally {
    const serviceNames = Array.from({ length: Math.max(services, ...scale) }, (_, i) => serviceName(i));
    removeBenchImages({ serviceNames, registryHost: ecr.registryHost, sinceMs: started });
    await ecr.stop();
    if (flags.keep) say(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

function finish(report) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, report);
  console.log(report);
  say(`report written to ${relative(process.cwd(), out)}`);
}

function imageSizes(ws, base) {
  const sizes = { [`base ${base}`]: imageSize(base) };
  for (const s of ws.services.slice(0, 3)) {
    const record = JSON.parse(readFileSync(join(ws.root, 'dist', 'images', 'apps', s.name, 'ecr-push.json'), 'utf8'));
    sizes[`${s.name} (${s.template}) local / pushed`] = [imageSize(`${s.name}:latest`), record.sizeBytes];
  }
  return sizes;
}

function render(rows, list, graph, sizes, profile, growth, durationMs) {
  const m = machineFacts();
  const run = `reps ${reps}, scale ${scale.join('/')} × ${scaleReps}, graph ${graphCounts.join('/')} × ${graphReps}, scenarios ${only.join(',')}`;
  const parts = [
    `# Benchmark ${new Date().toISOString().slice(0, 10)}${flags.quick ? ' (quick smoke run)' : ''}`,
    `Machine: ${m.summary}; load average at the start ${loadAtStart}. Full run took ${(durationMs / 60000).toFixed(1)} min (${run}).\n` +
      `Mode: the plugin's nx commands ran as ${mode}.`,
    ratioTable(list),
  ];
  if (graph.length) parts.push(`Graph only (no payload, no engine; \`nx show projects\`, Nx daemon off):\n\n${graphTable(graph)}`);
  if (rows.length) parts.push(scenarioTable(rows));
  if (sizes) {
    const { payload, ...images } = sizes;
    const sizeLines = Object.entries(images).map(
      ([k, v]) => `- ${k}: ${Array.isArray(v) ? v.map((b) => `${(b / 1e6).toFixed(0)} MB`).join(' / ') : `${(v / 1e6).toFixed(0)} MB`}`,
    );
    parts.push(
      `Image sizes (uncompressed in the engine / compressed as pushed):\n${sizeLines.join('\n')}\n` +
        `- app payload, vendored into each service's src/vendor (~26 MB, Debian bookworm arm64): ${payload}`,
    );
  }
  if (growth)
    parts.push(`local-ecr under token load (a fresh instance; \`node tools/bench/local-ecr-growth.mjs\` runs this alone):\n\n${growth}`);
  parts.push(`Scenarios:\n${scenarioLegend()}`);
  if (profile) parts.push(profile);
  return `${parts.join('\n\n')}\n`;
}

main().catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
