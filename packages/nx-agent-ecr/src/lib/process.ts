// The only module that spawns processes. Everything else receives a `ProcessRunner` and tests replace it.
// execa is ESM-only; this CommonJS module (Nx loads plugins with require()) requires it, which Node >= 20.19 allows,
// on the first spawn: a task that ends before running anything never loads it.
import type * as Execa from 'execa';
import type { Options as ExecaOptions, Result as ExecaResult } from 'execa';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load; an import would load execa with the plugin
const execaModule = (): typeof Execa => require('execa');

export interface RunOptions {
  cwd?: string;
  /** Added to the parent's environment (never replaces it). */
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin, e.g. a password for `--password-stdin`. Never logged. */
  input?: string;
  /** Stream the child's stdout/stderr to ours while keeping a copy. */
  stream?: boolean;
  /** Aborting it stops the child (SIGTERM, then SIGKILL after KILL_GRACE_MS). */
  signal?: AbortSignal;
  /** The child's deadline: past it, it is stopped like an abort and the result says `timedOut`. */
  timeoutMs?: number;
}

export interface RunResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when the child was stopped through `signal`. */
  canceled: boolean;
  /** True when the child was stopped because it ran past `timeoutMs`. */
  timedOut?: boolean;
  durationMs: number;
}

/** The runner is a port: executors and libs depend on this type, tests hand in a fake. */
export type ProcessRunner = (file: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

/** A child that has not finished by then is stopped: git, probes, `docker tag`/`inspect` (long steps pass their own). */
export const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;
/** Between SIGTERM and SIGKILL: Ctrl-C must end every child within about a second. */
export const KILL_GRACE_MS = 1_000;

/**
 * The same runner with `signal` on every call (unless a call brings its own), and a deadline on every call that has
 * none: a task's processes end with the task, and none runs for ever.
 */
export function withSignal(run: ProcessRunner, signal: AbortSignal, timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): ProcessRunner {
  return (file, args, options = {}) => run(file, args, { signal, timeoutMs, ...options });
}

/** Raised when the program itself is missing, so callers can say what to install. */
export class CommandNotFoundError extends Error {
  constructor(readonly file: string) {
    super(`Failed to find and execute '${file}': it is not installed or not on PATH.`);
    this.name = 'CommandNotFoundError';
  }
}

/**
 * Runs `file` with an argument array and no shell. A non-zero exit is data, not an exception: the result carries
 * the exit code and the output. Only a missing program throws.
 */
export const runProcess: ProcessRunner = async (file, args, options = {}) => {
  const execaOptions: ExecaOptions = {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    stdout: options.stream ? ['inherit', 'pipe'] : 'pipe',
    stderr: options.stream ? ['inherit', 'pipe'] : 'pipe',
    cancelSignal: options.signal,
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    forceKillAfterDelay: KILL_GRACE_MS,
    reject: false,
    stripFinalNewline: true,
  };
  const result: ExecaResult = await execaModule().execa(file, [...args], execaOptions);
  if (result.failed && isNotFound(result)) throw new CommandNotFoundError(file);
  // The last line says what happened, because callers quote it: a deadline is not the program's own failure.
  const overdue = result.timedOut
    ? `\n${file} ${args[0] ?? ''} did not finish within ${+((options.timeoutMs ?? 0) / 1000).toFixed(1)}s and was stopped`
    : '';
  return {
    command: result.command,
    exitCode: result.exitCode ?? (result.isCanceled ? 130 : 124),
    stdout: String(result.stdout ?? ''),
    stderr: `${String(result.stderr ?? '')}${overdue}`,
    canceled: result.isCanceled,
    timedOut: result.timedOut,
    durationMs: result.durationMs,
  };
};

function isNotFound(result: ExecaResult): boolean {
  const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT';
}
