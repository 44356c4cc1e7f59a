#!/usr/bin/env node
// Prints the closing line "N passed, N failed" from jest's JSON results and pytest's JUnit files.
// Usage: test-summary.mjs [--mode all|unit] <jest-json-dir> <junit-dir> [failed-step...]. Exit code 1 on any failure.
// A jest result named *-selected.json is a deliberate subset of a file (jest -t) that also ran whole: the tests it
// left out are reported as skipped by jest and are not counted; anywhere else, a skipped test counts as failed.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const mode = argv[0] === '--mode' ? (argv.splice(0, 2)[1] ?? 'all') : 'all';
const [jestDir, junitDir, ...failedSteps] = argv;
let passed = 0;
let failed = 0;
const problems = [...failedSteps.map((s) => `step failed: ${s}`)];

const jestFiles = existsSync(jestDir) ? readdirSync(jestDir).filter((n) => /^jest-.*\.json$/.test(n)) : [];
if (!jestFiles.includes('jest-unit.json')) problems.push('jest-unit.json is missing: the unit tests did not finish');
if (!jestFiles.includes('jest-engine-free.json'))
  problems.push('jest-engine-free.json is missing: the engine-free e2e suites did not finish');
if (mode === 'all' && !jestFiles.some((n) => n.startsWith('jest-e2e')))
  problems.push('no jest-e2e-*.json: the real-engine suites did not run');
for (const name of jestFiles.sort()) {
  const file = join(jestDir, name);
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A suite that fails to load (syntax error, failing beforeAll) has no failed test but is a failure.
  if (r.numRuntimeErrorTestSuites > 0) {
    failed += r.numRuntimeErrorTestSuites;
    problems.push(`${name}: ${r.numRuntimeErrorTestSuites} suite(s) failed to run`);
  }
  const selected = name.endsWith('-selected.json');
  if (r.numPendingTests > 0 && !selected) {
    problems.push(`${name}: ${r.numPendingTests} skipped test(s) — skipping is not a pass`);
    failed += r.numPendingTests;
  }
  if (r.numTotalTests - (selected ? r.numPendingTests : 0) === 0) problems.push(`${name}: no tests ran`);
}

const junitFiles = walk(junitDir).filter((f) => f.endsWith('.xml'));
if (junitFiles.length === 0) problems.push(`no JUnit files under ${junitDir}: the Python tests did not run`);
for (const file of junitFiles) {
  const xml = readFileSync(file, 'utf8');
  for (const m of xml.matchAll(/<testsuite\b([^>]*)>/g)) {
    const attr = (n) => Number((m[1].match(new RegExp(`\\b${n}="(\\d+)"`)) ?? [])[1] ?? 0);
    const bad = attr('failures') + attr('errors') + attr('skipped');
    passed += attr('tests') - bad;
    failed += bad;
  }
}

for (const p of problems) console.error(`✗ ${p}`);
console.log(`${passed} passed, ${failed + failedSteps.length} failed`);
process.exit(failed + failedSteps.length + (problems.length ? 1 : 0) > 0 ? 1 : 0);

function walk(dir) {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
