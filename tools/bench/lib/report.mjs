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
    builds: med(runs, 'builds'),
    pushes: med(runs, 'pushes'),
    blobUploads: med(runs, 'blobUploads'),
    bytesReceived: med(runs, 'bytesReceived'),
    manifestPuts: med(runs, 'manifestPuts'),
    executorRssMb: medRss(runs, 'executor'),
    graphRssMb: medRss(runs, 'graphPlugin'),
    nxRssMb: medRss(runs, 'nx'),
  };
}

const rssCell = (r) => (r.executorRssMb > 0 ? [r.executorRssMb, r.graphRssMb, r.nxRssMb].map((mb) => mb.toFixed(0)).join(' / ') : '–');

export function scenarioTable(rows) {
  const head =
    '| # | Scenario | Services | Runs | Wall s, median (min–max) | buildx builds | docker pushes | ' +
    'Blob uploads | MB received | Manifest puts | Peak RSS MB: executor / graph plugin / nx main |';
  const lines = [head, '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|'];
  for (const r of rows) {
    lines.push(
      `| ${r.id} | ${r.label} | ${r.services} | ${r.runs} | ${sec(r.wallMs)}${r.spread} | ${r.builds} ` +
        `| ${r.pushes} | ${r.blobUploads} | ${mb(r.bytesReceived)} | ${r.manifestPuts} | ${rssCell(r)} |`,
    );
  }
  return lines.join('\n');
}

/** The ratios with their targets; `met` is false for a missed target. */
export function ratios(rows) {
  const by = (id, n) => rows.find((r) => r.id === id && (n === undefined || r.services === n));
  const out = [];
  const [s1, s2, s3, s4] = ['s1', 's2', 's3', 's4'].map((id) => by(id));
  if (s2 && s3)
    out.push({ what: '3 ÷ 2: affected run vs raw docker floor', value: s3.wallMs / s2.wallMs, target: 1.2, fmt: (v) => v.toFixed(2) });
  if (s1 && s3)
    out.push({
      what: `3 ÷ 1: affected run vs baseline (${s1.services} services)`,
      value: s3.wallMs / s1.wallMs,
      target: 0.3,
      fmt: (v) => v.toFixed(2),
    });
  if (s1 && s4) {
    out.push({
      what: '4 ÷ 1: nothing changed (fresh engine) vs baseline',
      value: s4.wallMs / s1.wallMs,
      target: 0.1,
      fmt: (v) => v.toFixed(3),
    });
    out.push({
      what: '4: builds / MB uploaded',
      value: s4.builds + s4.bytesReceived,
      target: 0,
      fmt: () => `${s4.builds} / ${mb(s4.bytesReceived)}`,
    });
  }
  for (const r of rows.filter((x) => x.id === 's5')) {
    out.push({
      what: `5: overhead per service at ${r.services} services (wall ÷ N, nothing built)`,
      value: r.wallMs / r.services,
      target: r.services === 64 ? 150 : undefined,
      fmt: (v) => `${v.toFixed(0)} ms`,
    });
  }
  const peak = Math.max(...rows.filter((r) => r.id !== 's1' && r.id !== 's2').map((r) => r.executorRssMb));
  out.push({ what: 'Peak RSS of an executor process (max over plugin runs)', value: peak, target: 250, fmt: (v) => `${v.toFixed(0)} MB` });
  return out.map((r) => ({ ...r, met: r.target === undefined ? undefined : r.value <= r.target }));
}

export function ratioTable(list) {
  const lines = ['| Figure | Value | Target | Met |', '|---|---:|---:|---|'];
  for (const r of list) {
    const target =
      r.target === undefined
        ? '–'
        : r.what.includes('MB uploaded')
          ? '0 / 0'
          : r.what.includes('ms') || r.what.includes('overhead')
            ? `≤ ${r.target} ms`
            : r.what.includes('RSS')
              ? `≤ ${r.target} MB`
              : `≤ ${r.target}`;
    lines.push(`| ${r.what} | ${r.fmt(r.value)} | ${target} | ${r.met === undefined ? '–' : r.met ? 'yes' : '**no**'} |`);
  }
  return lines.join('\n');
}

export function scenarioLegend() {
  return Object.entries(SCENARIOS)
    .map(([id, text]) => `- **${id}**: ${text}.`)
    .join('\n');
}
