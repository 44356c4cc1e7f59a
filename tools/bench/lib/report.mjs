// Turns the benchmark's measurements into the markdown report: scenario table, ratios against targets, sizes.
import { SCENARIOS } from './scenarios.mjs';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sec = (ms) => (ms / 1000).toFixed(1);
const mb = (bytes) => (bytes / 1e6).toFixed(1);
const spread = (runs) => {
  const walls = runs.map((r) => r.wallMs);
  return runs.length > 1 ? ` (${sec(Math.min(...walls))}–${sec(Math.max(...walls))})` : '';
};
const med = (runs, key) => median(runs.map((r) => r[key]));
const medRss = (runs, role) => median(runs.map((r) => r.peakRssMb[role]));

/** One summary per scenario row: medians over its runs. */
export function summarize(label, id, runs, services) {
  return {
    label,
    id,
    services,
    runs: runs.length,
    spread: spread(runs),
    wallMs: med(runs, 'wallMs'),
    // The wall outside docker build/push, run by run: the fixed overhead, without the build's run-to-run spread.
    outsideDockerMs: median(runs.map((r) => r.wallMs - (r.dockerMs ?? 0))),
    builds: med(runs, 'builds'),
    pushes: med(runs, 'pushes'),
    blobUploads: med(runs, 'blobUploads'),
    bytesReceived: med(runs, 'bytesReceived'),
    manifestPuts: med(runs, 'manifestPuts'),
    apiCalls: med(runs, 'apiCalls'),
    executorRssMb: medRss(runs, 'executor'),
    graphRssMb: medRss(runs, 'graphPlugin'),
    nxRssMb: medRss(runs, 'nx'),
  };
}

const mbFmt = (v) => `${v.toFixed(0)} MB`;
const rssCell = (r) => (r.executorRssMb > 0 ? [r.executorRssMb, r.graphRssMb, r.nxRssMb].map((mb) => mb.toFixed(0)).join(' / ') : '–');

export function scenarioTable(rows) {
  const head =
    '| # | Scenario | Services | Runs | Wall s, median (min–max) | buildx builds | docker pushes | ' +
    'Blob uploads | MB received | Manifest puts | ECR + STS API calls | Peak RSS MB: executor / graph plugin / nx main |';
  const lines = [head, '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'];
  for (const r of rows) {
    lines.push(
      `| ${r.id} | ${r.label} | ${r.services} | ${r.runs} | ${sec(r.wallMs)}${r.spread} | ${r.builds} ` +
        `| ${r.pushes} | ${r.blobUploads} | ${mb(r.bytesReceived)} | ${r.manifestPuts} | ${r.apiCalls ?? '–'} | ${rssCell(r)} |`,
    );
  }
  return lines.join('\n');
}

const ms = (v) => `${v.toFixed(0)} ms`;
const plugin = (r) => r.id !== 's1' && r.id !== 's2';

/**
 * Every target of issues 15 (and 8) beside its figure: `of` names the target ("15.2" is issue 15's second), `met`
 * is false for a missed one and undefined for a figure without a target.
 */
export function ratios(rows, graph = []) {
  const by = (id) => rows.find((r) => r.id === id);
  const [s1, s2, s3, s4] = ['s1', 's2', 's3', 's4'].map(by);
  const out = [];
  const add = (of, what, value, target, fmt, unit = '') => out.push({ of, what, value, target, fmt, unit });
  for (const g of graph) {
    // The target holds for the workflow's configuration; Nx's default (a worker process per plugin) is shown beside it.
    const workflow = g.label.includes('workflow');
    const target = !workflow ? undefined : g.services === 4 ? 300 : g.services === 256 ? 1000 : undefined;
    const what = `graph inference at ${g.services} services, plugin isolation ${g.label} (nx show projects: with − without the plugin)`;
    add(workflow ? '15.1' : '–', what, g.addedMs, target, ms, 'ms');
  }
  for (const r of rows.filter((x) => x.id === 's5')) {
    const target = r.services === 64 ? 150 : undefined;
    add('15.2', `no-op cost per unchanged service at ${r.services} services (s5 wall ÷ N)`, r.wallMs / r.services, target, ms, 'ms');
  }
  if (s1 && s4) {
    add('15.2', `no-op delivery vs the seeds' script at ${s1.services} services (s4 ÷ s1)`, s4.wallMs / s1.wallMs, 0.1, (v) =>
      v.toFixed(3),
    );
    add(
      '15.2',
      'no-op delivery: builds / MB uploaded (s4)',
      s4.builds + s4.bytesReceived,
      0,
      () => `${s4.builds} / ${mb(s4.bytesReceived)}`,
    );
  }
  if (s2 && s3) {
    const overhead = 'one changed service: fixed overhead over raw docker';
    add('15.3', `${overhead} (wall outside docker build and push, s3 − s2)`, s3.outsideDockerMs - s2.outsideDockerMs, 1500, ms, 'ms');
    add('–', `${overhead}, walls alone (s3 − s2: includes the build's run-to-run spread)`, s3.wallMs - s2.wallMs, undefined, ms, 'ms');
    add('15.3', 'one changed service: ratio to raw docker (s3 ÷ s2)', s3.wallMs / s2.wallMs, 1.2, (v) => v.toFixed(2));
  }
  if (s1 && s3)
    add('8', `one changed service vs the seeds' script at ${s1.services} services (s3 ÷ s1)`, s3.wallMs / s1.wallMs, 0.3, (v) =>
      v.toFixed(2),
    );
  const at64 = rows.filter((r) => plugin(r) && r.services === 64);
  const peak = (list, key) => Math.max(0, ...list.map((r) => r[key]));
  if (at64.length) {
    // With plugin isolation off (the workflow's setting) graph inference runs inside nx main, so nx main counts too.
    const worst = Math.max(peak(at64, 'executorRssMb'), peak(at64, 'graphRssMb'), peak(at64, 'nxRssMb'));
    add(
      '15.4',
      'peak RSS of any plugin process at 64 services (executor, graph worker, nx main hosting the plugin)',
      worst,
      250,
      mbFmt,
      'MB',
    );
  }
  add('–', 'peak RSS of an executor process, any scenario', peak(rows.filter(plugin), 'executorRssMb'), undefined, mbFmt);
  for (const g of graph.filter((x) => x.services === 256 && x.label.includes('workflow'))) {
    add(
      '15.4',
      `peak RSS of the whole graph-only run at ${g.services} services (every process's peak, added up)`,
      g.wholeRunRssMb,
      400,
      mbFmt,
      'MB',
    );
  }
  return out.map((r) => ({ ...r, met: r.target === undefined ? undefined : r.value <= r.target }));
}

export function ratioTable(list) {
  const lines = ['| Target | Figure | Value | Target value | Met? |', '|---|---|---:|---:|---|'];
  for (const r of list) {
    const target =
      r.target === undefined ? '–' : r.target === 0 ? '0 / 0' : `≤ ${r.target.toLocaleString('en-US')}${r.unit ? ` ${r.unit}` : ''}`;
    lines.push(`| ${r.of} | ${r.what} | ${r.fmt(r.value)} | ${target} | ${r.met === undefined ? '–' : r.met ? 'met' : '**missed**'} |`);
  }
  return lines.join('\n');
}

export function scenarioLegend() {
  return Object.entries(SCENARIOS)
    .map(([id, text]) => `- **${id}**: ${text}.`)
    .join('\n');
}
