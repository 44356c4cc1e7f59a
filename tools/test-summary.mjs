#!/usr/bin/env node
// Prints the closing line "N passed, N failed" from jest's JSON results and pytest's JUnit files.
// Usage: test-summary.mjs <jest-json-dir> <junit-dir> [failed-step...]. Exit code 1 on any failure.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [jestDir, junitDir, ...failedSteps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const problems = [...failedSteps.map((s) => `step failed: ${s}`)];

const jestFiles = existsSync(jestDir) ? readdirSync(jestDir).filter((n) => /^jest-.*\.json$/.test(n)) : [];
if (!jestFiles.includes('jest-unit.json')) problems.push('jest-unit.json is missing: the unit tests did not finish');
if (!jestFiles.some((n) => n.startsWith('jest-e2e'))) problems.push('no jest-e2e-*.json: the real-engine suites did not run');
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
  if (r.numPendingTests > 0) problems.push(`${name}: ${r.numPendingTests} skipped test(s) — skipping is not a pass`);
  failed += r.numPendingTests;
  if (r.numTotalTests === 0) problems.push(`${name}: no tests ran`);
}

for (const file of walk(junitDir).filter((f) => f.endsWith('.xml'))) {
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
