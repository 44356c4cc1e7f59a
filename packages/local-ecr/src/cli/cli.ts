// The `local-ecr` command: start (background or foreground), stop, status, stats, env, expire-tokens.
import { resolve } from 'node:path';
import { adminCall } from '../lib/admin-client';
import { runningInstance, type InstanceInfo } from '../lib/instance-file';
import { readAdminSecret } from '../lib/secret-files';
import { defaultStateDir, localEcrEnv, serveLocalEcr } from '../lib/serve';
import { loadState } from '../lib/state';
import { exportLine, foregroundArgs, parseCli, UsageError, USAGE, type CliOptions } from './args';
import { startInBackground, stopInstance } from './background';

const regionOf = (options: CliOptions) => options.region ?? process.env['AWS_REGION'] ?? 'us-east-1';

function announce(info: InstanceInfo, stateDir: string, options: CliOptions, verb: string): void {
  // The human line goes to stderr so that `eval "$(local-ecr start)"` only sees the export line.
  console.error(`local-ecr ${verb} at ${info.endpoint} (pid ${info.pid}, state in ${stateDir})`);
  console.log(exportLine(localEcrEnv(info.endpoint, regionOf(options))));
}

async function runForeground(options: CliOptions, stateDir: string): Promise<void> {
  const ecr = await serveLocalEcr({
    stateDir,
    region: regionOf(options),
    ...(options.accountId ? { accountId: options.accountId } : {}),
    ...(options.registryBinary ? { registryBinary: options.registryBinary } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.tokenTtlSeconds !== undefined ? { tokenTtlSeconds: options.tokenTtlSeconds } : {}),
  });
  console.error(`local-ecr serving at ${ecr.endpoint} (pid ${process.pid}, state in ${stateDir}); Ctrl-C stops it`);
  console.log(exportLine(ecr.env));
  const shutdown = () => void ecr.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  if (options.exitWithParent) {
    process.stdin.on('end', shutdown);
    process.stdin.resume();
  }
}

/** Calls the admin API of the instance serving a state directory, with the secret it wrote there. */
const admin = (info: InstanceInfo, stateDir: string, method: 'GET' | 'POST', path: string) =>
  adminCall(info.endpoint, readAdminSecret(stateDir))(method, path);

function requireRunning(stateDir: string): InstanceInfo {
  const info = runningInstance(stateDir);
  if (!info) throw new UsageError(`local-ecr is not running for ${stateDir}: start it with 'npx local-ecr start'.`);
  return info;
}

export async function main(argv: readonly string[], binPath: string): Promise<number> {
  const options = parseCli(argv);
  const stateDir = resolve(options.stateDir ?? defaultStateDir());
  switch (options.command) {
    case 'help':
      console.log(USAGE);
      return 0;
    case 'start': {
      const running = runningInstance(stateDir);
      if (running && options.foreground) {
        throw new UsageError(
          `local-ecr already serves ${stateDir} (pid ${running.pid}, ${running.endpoint}): stop it or use another --state-dir.`,
        );
      }
      if (running) {
        announce(running, stateDir, options, 'is already running');
        return 0;
      }
      if (options.foreground) {
        await runForeground(options, stateDir);
        return -1;
      }
      const started = await startInBackground(binPath, foregroundArgs(options, stateDir), stateDir);
      announce(started.info, stateDir, options, started.alreadyRunning ? 'is already running' : 'started');
      return 0;
    }
    case 'stop': {
      const outcome = await stopInstance(stateDir);
      if (outcome && 'stopped' in outcome) console.error(`local-ecr stopped (pid ${outcome.stopped.pid})`);
      else if (outcome)
        console.error(
          `local-ecr is not running for ${stateDir}; its instance file names pid ${outcome.stale.pid}, which is no longer local-ecr: left alone.`,
        );
      else console.error(`local-ecr is not running for ${stateDir}`);
      return 0;
    }
    case 'status': {
      const info = runningInstance(stateDir);
      if (!info) {
        console.log(`local-ecr is not running (state dir ${stateDir})`);
        return 1;
      }
      const state = loadState(stateDir);
      const images = [...state.images.values()].reduce((sum, repo) => sum + repo.size, 0);
      console.log(`local-ecr is running at ${info.endpoint} (pid ${info.pid}, since ${info.startedAt})`);
      console.log(`state dir ${stateDir}: ${state.repositories.size} repositories, ${images} images`);
      return 0;
    }
    case 'stats': {
      const info = requireRunning(stateDir);
      console.log(
        JSON.stringify(await admin(info, stateDir, options.reset ? 'POST' : 'GET', options.reset ? '/stats/reset' : '/stats'), null, 2),
      );
      return 0;
    }
    case 'env':
      console.log(exportLine(localEcrEnv(requireRunning(stateDir).endpoint, regionOf(options))));
      return 0;
    case 'expire-tokens':
      await admin(requireRunning(stateDir), stateDir, 'POST', '/expire-tokens');
      console.error('local-ecr: every registry password handed out so far has expired; log in again.');
      return 0;
  }
}

/** Runs main and turns failures into one line on stderr and exit code 1 (-1 means: keep serving). */
export function run(argv: readonly string[], binPath: string): void {
  main(argv, binPath).then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(message.startsWith('local-ecr') ? message : `local-ecr: ${message}`);
      process.exitCode = 1;
    },
  );
}
