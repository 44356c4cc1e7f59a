// The benchmark's scenarios: each prepares the workspace and engine, then runs one measured command.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { dockerLogin, resetEngine } from './engine.mjs';
import { measure } from './measure.mjs';
import { changeOneFile, OFFLINE_BUILD_ARGS } from './workspace.mjs';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildArgs = Object.entries(OFFLINE_BUILD_ARGS)
  .map(([k, v]) => `${k}=${v}`)
  .join(' ');

export const SCENARIOS = {
  seed: 'First delivery of every service (nx run-many -t ecr-push, cold registry); sets the registry up, not a target',
  s1: 'Baseline, seed style: baseline-build-and-push.sh builds, tags (latest, git sha) and pushes every service',
  s2: 'Raw docker, one service: docker buildx build + docker push of only the changed service (already logged in)',
  s3: 'One service changed: nx affected -t ecr-push --base=HEAD~1 --latestSettleSeconds=0 after a one-file commit',
  s4: 'Nothing changed, fresh engine: bench images and build cache removed, then nx run-many -t ecr-push --latestSettleSeconds=0',
  s5: 'Scale: scenario 4 with N generated services',
};

/** `node <ws>/node_modules/nx/dist/bin/nx.js …`: the Nx CLI that `npx nx` runs, minus npx's own start-up. */
const nx = (ws, ...args) => [process.execPath, [join(ws.root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), ...args]];

/**
 * ecr-push as the generated workflow runs it: that workflow delivers one run at a time per environment, so it skips
 * the pause after moving `latest` (.github/workflows/affected-delivery.yml). `settle` overrides it (seconds).
 */
const pushFlags = (settle) => [`--latestSettleSeconds=${settle}`];

/**
 * Runs scenario `id` once in workspace `ws` (its services, its PROJECT_NAME) against `ecr`; returns the measurement
 * with local-ecr's counters. `changed` is the service a one-file change goes to; `marker` makes that change unique;
 * `reset: false` keeps the engine as it is (for seeding the registry, which is not measured against a target).
 * `batch` adds `--batch` to the plugin's nx commands (Nx runs every task of an executor in one process); `settle` is
 * ecr-push's latestSettleSeconds (the workflow's 0 by default).
 */
export async function runScenario(
  id,
  { ws, ecr, env, logDir, marker, sinceMs, changed, reset = true, nodeOptions = '', batch = false, settle = 0 },
) {
  const names = ws.services.map((s) => s.name);
  const wsEnv = { ...env, PROJECT_NAME: ws.projectName, ENVIRONMENT: 'dev' };
  let command;
  let dockerConfig;
  if (['s1', 's2', 's3'].includes(id)) changeOneFile(ws.root, changed, `${id} ${marker}`);
  if (reset) resetEngine({ serviceNames: names, registryHost: ecr.registryHost, sinceMs });
  if (id === 's1' || id === 's2') dockerConfig = mkdtempSync(join(tmpdir(), 'bench-docker-config-'));
  if (id === 's1') {
    command = ['bash', [join(benchDir, 'baseline-build-and-push.sh'), ...names]];
  } else if (id === 's2') {
    dockerLogin(wsEnv, ecr.registryHost, dockerConfig);
    command = ['bash', [join(benchDir, 'raw-docker-one-service.sh'), ecr.registryHost, changed]];
  } else if (id === 's3') {
    command = nx(ws, 'affected', '-t', 'ecr-push', '--base=HEAD~1', '--head=HEAD', ...pushFlags(settle), ...(batch ? ['--batch'] : []));
  } else {
    command = nx(ws, 'run-many', '-t', 'ecr-push', ...pushFlags(settle), ...(batch ? ['--batch'] : []));
  }
  await ecr.resetStats();
  const logFile = join(logDir, `${ws.projectName}-${id}-${marker}.log`);
  const runEnv = { ...wsEnv, BUILD_ARGS: buildArgs, ...(dockerConfig ? { DOCKER_CONFIG: dockerConfig } : {}) };
  try {
    const result = await measure(command[0], command[1], { cwd: ws.root, env: runEnv, logFile, extraNodeOptions: nodeOptions });
    if (result.exitCode !== 0) throw new Error(`${id} (${ws.projectName}, run ${marker}) exited ${result.exitCode}; log: ${logFile}`);
    return { ...result, ...(await ecr.totals()), logFile };
  } finally {
    if (dockerConfig) rmSync(dockerConfig, { recursive: true, force: true });
  }
}
