// Parses the local-ecr command line into a command and its options (pure; one-line errors for bad input).
import { parseArgs } from 'node:util';

export const COMMANDS = ['start', 'stop', 'status', 'stats', 'env', 'expire-tokens', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  command: Command;
  port?: number;
  stateDir?: string;
  tokenTtlSeconds?: number;
  region?: string;
  accountId?: string;
  registryBinary?: string;
  foreground: boolean;
  /** Internal (startLocalEcr's child): stop when stdin closes, i.e. when the parent process is gone. */
  exitWithParent: boolean;
  reset: boolean;
}

export class UsageError extends Error {}

function positiveInteger(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || (name === '--port' && number > 65535)) {
    throw new UsageError(`${name} must be ${name === '--port' ? 'a port number (0-65535)' : 'a whole number of seconds'}, got '${value}'.`);
  }
  return number;
}

export function parseCli(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        port: { type: 'string', short: 'p' },
        'state-dir': { type: 'string' },
        'token-ttl': { type: 'string' },
        region: { type: 'string' },
        'account-id': { type: 'string' },
        'registry-binary': { type: 'string' },
        foreground: { type: 'boolean', default: false },
        'exit-with-parent': { type: 'boolean', default: false },
        reset: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Run 'local-ecr help' for the options.`);
  }
  const { values, positionals } = parsed;
  const command = values.help ? 'help' : (positionals[0] ?? 'help');
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`Unknown command '${command}': use one of ${COMMANDS.join(', ')}.`);
  }
  if (positionals.length > 1) throw new UsageError(`Unexpected argument '${positionals[1]}': local-ecr takes one command.`);
  const port = positiveInteger('--port', values.port, 0);
  const tokenTtlSeconds = positiveInteger('--token-ttl', values['token-ttl'], 1);
  const accountId = values['account-id'];
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new UsageError(`--account-id must be 12 digits, got '${accountId}'.`);
  return {
    command: command as Command,
    ...(port !== undefined ? { port } : {}),
    ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}),
    ...(tokenTtlSeconds !== undefined ? { tokenTtlSeconds } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(accountId ? { accountId } : {}),
    ...(values['registry-binary'] ? { registryBinary: values['registry-binary'] } : {}),
    foreground: values.foreground,
    exitWithParent: values['exit-with-parent'],
    reset: values.reset,
  };
}

/** The shell line that points the AWS CLI, the SDKs and this plugin at local-ecr (single-quoted, eval-safe). */
export function exportLine(env: Record<string, string>): string {
  return `export ${Object.entries(env)
    .map(([key, value]) => `${key}='${value.replace(/'/g, `'\\''`)}'`)
    .join(' ')}`;
}

/** The arguments for the background process that runs `start --foreground` with the same settings. */
export function foregroundArgs(options: CliOptions, stateDir: string): string[] {
  return [
    'start',
    '--foreground',
    '--state-dir',
    stateDir,
    ...(options.port !== undefined ? ['--port', String(options.port)] : []),
    ...(options.tokenTtlSeconds !== undefined ? ['--token-ttl', String(options.tokenTtlSeconds)] : []),
    ...(options.region ? ['--region', options.region] : []),
    ...(options.accountId ? ['--account-id', options.accountId] : []),
    ...(options.registryBinary ? ['--registry-binary', options.registryBinary] : []),
  ];
}

export const USAGE = `Usage: local-ecr <command> [options]

An ECR-compatible endpoint (ECR API, STS GetCallerIdentity and AssumeRole, registry API) on 127.0.0.1 over a real registry.

Commands:
  start           start in the background and print the environment to use (eval "$(npx local-ecr start)")
  stop            stop the background instance
  status          say whether it runs, where, and what it holds (exit 1 when stopped)
  stats           print the per-repository upload counters as JSON (--reset clears them)
  env             print the environment line for the running instance
  expire-tokens   expire every registry password handed out so far (docker must log in again)

Options:
  --port N        port on 127.0.0.1 (default 5100)
  --state-dir D   state directory (default $LOCAL_ECR_STATE_DIR or ~/.local-ecr)
  --token-ttl S   lifetime of registry passwords in seconds (default 43200, ECR's 12 hours)
  --region R      region for ARNs and the printed env (default $AWS_REGION or us-east-1)
  --account-id A  the account (registry id) it stands for, 12 digits (default 000000000000)
  --foreground    with start: run in this terminal until Ctrl-C
  --registry-binary B   the distribution registry to run (default /usr/bin/docker-registry)

The admin API (counters, fault hooks, scan findings) needs the header x-local-ecr-secret with the contents of
<state-dir>/admin-secret; see packages/local-ecr/README.md.
`;
