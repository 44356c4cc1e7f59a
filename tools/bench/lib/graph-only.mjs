// The graph-only scale point: what the plugin's graph inference adds to an Nx command, and the run's peak memory.
// `nx show projects` runs with the plugin, with a do-nothing plugin and without either, interleaved, so the machine's
// drift (it is shared) lands on every side of each difference.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { commitAll, createScratchWorkspace } from '../../lib/scratch-workspace.mjs';
import { generateServices } from './generate-services.mjs';
import { installPluginAsPackage } from './workspace.mjs';
import { measure } from './measure.mjs';
import { median } from './report.mjs';

const PLUGIN = 'nx-agent-ecr';

/** A scratch copy holding `count` generated services and nothing else (the plugin installed as a package): no payload, nothing to build. */
export async function createGraphWorkspace({ dest, count, baseImage }) {
  createScratchWorkspace({ dest, replace: true });
  installPluginAsPackage(dest);
  for (const app of readdirSync(join(dest, 'apps'))) rmSync(join(dest, 'apps', app), { recursive: true, force: true });
  const services = await generateServices(dest, count, baseImage);
  commitAll(dest, `bench: ${count} generated services (graph only)`);
  return { root: dest, services };
}

// A plugin that infers nothing: what Nx itself charges for registering any plugin (an isolated worker process).
const NOOP_PLUGIN = "// bench: a plugin that infers nothing\nmodule.exports = { createNodesV2: ['**/project.json', async () => []] };\n";
const VARIANTS = ['with', 'noop', 'without'];

/**
 * `reps` interleaved triples (after one not counted: Nx's and the plugin's caches warm up) of `nx show projects`
 * with the plugin, with a plugin that infers nothing in its place, and without either, in `env`. Returns the
 * medians, the median per-triple differences, and peak memory (largest process, and the sum of every process's
 * peak: an upper bound of the whole run's).
 */
export async function measureGraph(ws, { env, logDir, reps, label }) {
  const nxJson = join(ws.root, 'nx.json');
  const original = readFileSync(nxJson, 'utf8');
  const parsed = JSON.parse(original);
  const isPlugin = (p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN;
  if (!(parsed.plugins ?? []).some(isPlugin)) throw new Error(`${nxJson} does not register ${PLUGIN}: nothing to compare.`);
  const others = parsed.plugins.filter((p) => !isPlugin(p));
  const json = (plugins) => `${JSON.stringify({ ...parsed, plugins }, null, 2)}\n`;
  writeFileSync(join(ws.root, 'noop-plugin.js'), NOOP_PLUGIN);
  const configs = { with: original, noop: json([...others, './noop-plugin.js']), without: json(others) };
  const n = ws.services.length;
  const nxBin = join(ws.root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
  const once = async (variant, marker) => {
    writeFileSync(nxJson, configs[variant]);
    const logFile = join(logDir, `graph${n}-${label}-${variant}-${marker}.log`);
    // --json: one line, one write. Nx exits right after printing one line per project, and on Node 24 the end of that
    // listing can be lost to the pipe (seen at 256: svc-13 to svc-99, the last lines printed, missing from the log).
    const r = await measure(process.execPath, [nxBin, 'show', 'projects', '--json'], { cwd: ws.root, env, logFile });
    if (r.exitCode !== 0) throw new Error(`nx show projects (${n} services, ${variant}, ${label}) exited ${r.exitCode}; log: ${logFile}`);
    const json = readFileSync(logFile, 'utf8').match(/^\s*\d+ \| (\[.*\])$/m)?.[1];
    const listed = json ? JSON.parse(json).filter((name) => name.startsWith('svc-')).length : 0;
    if (listed !== n) throw new Error(`nx show projects listed ${listed} of ${n} services; log: ${logFile}`);
    return r;
  };
  const triples = [];
  try {
    for (const variant of VARIANTS) await once(variant, 'warm-up');
    for (let rep = 1; rep <= reps; rep++) {
      const triple = {};
      for (const variant of VARIANTS) triple[variant] = await once(variant, rep);
      triples.push(triple);
    }
  } finally {
    writeFileSync(nxJson, original);
    rmSync(join(ws.root, 'noop-plugin.js'), { force: true });
  }
  const diffs = (a, b) => triples.map((t) => t[a].wallMs - t[b].wallMs);
  const withRuns = triples.map((t) => t.with);
  return {
    services: n,
    label,
    reps: triples.length,
    withMs: median(withRuns.map((r) => r.wallMs)),
    withoutMs: median(triples.map((t) => t.without.wallMs)),
    addedMs: median(diffs('with', 'without')),
    addedRange: [Math.min(...diffs('with', 'without')), Math.max(...diffs('with', 'without'))],
    floorMs: median(diffs('noop', 'without')),
    ownMs: median(diffs('with', 'noop')),
    graphRssMb: Math.max(...withRuns.map((r) => r.peakRssMb.graphPlugin)),
    nxRssMb: Math.max(...withRuns.map((r) => r.peakRssMb.nx)),
    wholeRunRssMb: Math.max(...withRuns.map((r) => r.sumPeakRssMb)),
  };
}

/** The graph-only rows of the report. */
export function graphTable(points) {
  const lines = [
    '| Services | Nx plugin isolation | Triples | with the plugin, s | without, s | added, ms: median (min–max) | ' +
      'of which Nx (a plugin inferring nothing), ms | of which the plugin itself, ms | Peak RSS MB: plugin worker / nx main / whole run (sum) |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  const fixed = (v) => v.toFixed(0);
  for (const g of points) {
    lines.push(
      `| ${g.services} | ${g.label} | ${g.reps} | ${(g.withMs / 1000).toFixed(2)} | ${(g.withoutMs / 1000).toFixed(2)} | ` +
        `${fixed(g.addedMs)} (${g.addedRange.map(fixed).join(' to ')}) | ${fixed(g.floorMs)} | ${fixed(g.ownMs)} | ` +
        `${[g.graphRssMb, g.nxRssMb, g.wholeRunRssMb].map(fixed).join(' / ')} |`,
    );
  }
  return lines.join('\n');
}
