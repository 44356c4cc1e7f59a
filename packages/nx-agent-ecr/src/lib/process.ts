// The only module that spawns processes. Everything else receives a `ProcessRunner` and tests replace it.
// execa is ESM-only; this CommonJS module (Nx loads plugins with require()) requires it, which Node >= 20.19 allows.
import { execa, type Options as ExecaOptions, type Result as ExecaResult } from 'execa';

export interface RunOptions {
  cwd?: string;
  /** Added to the parent's environment (never replaces it). */
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin, e.g. a password for `--password-stdin`. Never logged. */
  input?: string;
  /** Stream the child's stdout/stderr to ours while keeping a copy. */
  stream?: boolean;
  /** Aborting it stops the child (SIGTERM, then SIGKILL after a grace period). */
  signal?: AbortSignal;
}

export interface RunResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when the child was stopped through `signal`. */
  canceled: boolean;
  durationMs: number;
}

/** The runner is a port: executors and libs depend on this type, tests hand in a fake. */
export type ProcessRunner = (file: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

/** The same runner with `signal` on every call (unless a call brings its own): a task's processes end with the task. */
export function withSignal(run: ProcessRunner, signal: AbortSignal): ProcessRunner {
  return (file, args, options = {}) => run(file, args, { signal, ...options });
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
    forceKillAfterDelay: 5_000,
    reject: false,
    stripFinalNewline: true,
  };
  const result: ExecaResult = await execa(file, [...args], execaOptions);
  if (result.failed && isNotFound(result)) throw new CommandNotFoundError(file);
  return {
    command: result.command,
    exitCode: result.exitCode ?? (result.isCanceled ? 130 : 1),
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    canceled: result.isCanceled,
    durationMs: result.durationMs,
  };
};

function isNotFound(result: ExecaResult): boolean {
  const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT';
}
