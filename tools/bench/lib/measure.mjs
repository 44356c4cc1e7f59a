// Runs one command under measurement: wall time, docker builds/pushes (PATH shim), peak RSS per node process, a timed log.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

const here = dirname(fileURLToPath(import.meta.url));
const shimDir = join(here, '..', 'shim');
const rssHook = join(here, 'rss-hook.mjs');

/** The docker binary the shim execs: the first `docker` on PATH that is not the shim. */
export function realDocker(path = process.env.PATH ?? '') {
  for (const dir of path.split(':')) {
    if (dir && dir !== shimDir && existsSync(join(dir, 'docker'))) return join(dir, 'docker');
  }
  throw new Error('docker is not on PATH: run tools/toolchain/setup.sh first');
}

/** Which part of Nx (or the plugin) a node process was, from its script path. */
export function processRole(argv) {
  const script = argv[0] ?? '';
  // run-batch: with --batch, one process runs every task of an executor.
  if (/run-executor|run-batch|tasks-runner[\\/]fork/.test(script)) return 'executor';
  if (/plugin-worker/.test(script)) return 'graphPlugin';
  if (/nx[\\/]dist[\\/]bin[\\/]nx\.js$/.test(script)) return 'nx';
  return 'other';
}

function readLines(file) {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/**
 * Runs `file args` in `cwd`; every output line goes to `logFile` prefixed with the ms since start.
 * Returns { exitCode, wallMs, builds, pushes, dockerMs, peakRssMb: {executor, graphPlugin, nx}, sumPeakRssMb, nodeProcesses }.
 */
export function measure(file, args, { cwd, env = {}, logFile, extraNodeOptions = '' }) {
  const dockerLog = `${logFile}.docker`;
  const rssLog = `${logFile}.rss`;
  rmSync(dockerLog, { force: true });
  rmSync(rssLog, { force: true });
  const log = createWriteStream(logFile);
  const started = performance.now();
  const stamp = () => String(Math.round(performance.now() - started)).padStart(7);
  log.write(`${stamp()} $ ${file} ${args.join(' ')}   (started at epoch ms ${Date.now()}, the docker shim's clock)\n`);
  const child = spawn(file, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...env,
      PATH: `${shimDir}:${env.PATH ?? process.env.PATH}`,
      BENCH_REAL_DOCKER: realDocker(env.PATH ?? process.env.PATH),
      BENCH_DOCKER_LOG: dockerLog,
      BENCH_RSS_LOG: rssLog,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${rssHook} ${extraNodeOptions}`.trim(),
    },
  });
  const pipeLines = (stream, tag) => {
    let rest = '';
    stream.setEncoding('utf8').on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) log.write(`${stamp()} ${tag} ${line}\n`);
    });
    stream.on('end', () => rest && log.write(`${stamp()} ${tag} ${rest}\n`));
  };
  pipeLines(child.stdout, '|');
  pipeLines(child.stderr, '!');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      log.end(`${stamp()} exit ${code ?? signal}\n`);
      const docker = readLines(dockerLog).map((l) => l.split(' '));
      const nodes = readLines(rssLog).map((l) => JSON.parse(l));
      const peak = (role) => Math.max(0, ...nodes.filter((n) => processRole(n.argv) === role).map((n) => n.maxRssKb)) / 1024;
      resolve({
        exitCode: code ?? 128,
        wallMs,
        builds: docker.filter(([kind]) => kind === 'build').length,
        pushes: docker.filter(([kind]) => kind === 'push').length,
        // Wall time inside docker build and push; what is left of the wall is the command's own (fixed) overhead.
        dockerMs: docker.reduce((sum, [, start, end]) => sum + (Number(end) - Number(start) || 0), 0),
        peakRssMb: { executor: peak('executor'), graphPlugin: peak('graphPlugin'), nx: peak('nx') },
        // Every process's peak added up: an upper bound of the run's memory at any one moment.
        sumPeakRssMb: nodes.reduce((sum, n) => sum + n.maxRssKb, 0) / 1024,
        nodeProcesses: nodes.length,
      });
    });
  });
}
