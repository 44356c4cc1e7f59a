// Options → NormalizedOptions for docker-run: the contract (option, else metadata.contract), the clauses, the env —
// every value checked with a one-line error before the engine is touched.
import type { ExecutorContext } from '@nx/devkit';
import { CLAUSES, RUNNING_CLAUSES, type Clause, type Contract } from '../../lib/contract/contract';
import { UserError } from '../../lib/errors';
import type { DockerRunExecutorSchema } from './schema';

export interface NormalizedOptions {
  project: string;
  projectRoot: string;
  workspaceRoot: string;
  /** Explicit image; otherwise the build record names it. */
  image?: string;
  platform?: string;
  /** Present whenever a clause needs it (health, endpoints). */
  contract?: Contract;
  checks: Set<Clause>;
  maxImageSizeMB?: number;
  env: Record<string, string>;
  startTimeoutMs: number;
  requestTimeoutMs: number;
}

/** Names that carry credentials by convention: refused, because docker run's argv and `docker inspect` show env. */
const SECRET_NAME = /(^|_)(SECRET|TOKEN|PASSWORD|PASSWD|ACCESS_KEY|CREDENTIALS?|PRIVATE_KEY|API_KEY|PAT|AUTH)(_|$)/i;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

export function normalizeOptions(options: DockerRunExecutorSchema, context: ExecutorContext): NormalizedOptions {
  const project = context.projectName;
  if (!project) throw new UserError('docker-run must run as a project target (no project name in the Nx context).');
  const config = context.projectsConfigurations?.projects[project];
  if (!config) throw new UserError(`Project "${project}" is not in the workspace's project configurations.`);
  const checks = new Set<Clause>(options.checks ?? CLAUSES);
  if (checks.size === 0) throw new UserError(`checks is empty for ${project}: name at least one of ${CLAUSES.join(', ')}.`);
  const needsContract = RUNNING_CLAUSES.some((c) => checks.has(c));
  const contract = options.contract ?? (config.metadata as { contract?: unknown } | undefined)?.contract;
  if (needsContract && contract === undefined) {
    throw new UserError(
      `${project} has no contract to check (checks ${[...checks].join(', ')}): set the contract option, or metadata.contract ` +
        `in its project.json (the agent-service generator writes it), or set checks to platform, user, size.`,
    );
  }
  if (contract !== undefined) validateContract(contract, project);
  if (options.platform !== undefined && !PLATFORM.test(options.platform)) {
    throw new UserError(`platform "${options.platform}" is not os/arch[/variant], e.g. linux/arm64.`);
  }
  const env = definedEntries(options.env ?? {});
  for (const name of Object.keys(env)) {
    if (!ENV_NAME.test(name)) throw new UserError(`env: "${name}" is not a valid environment variable name.`);
    if (SECRET_NAME.test(name)) {
      throw new UserError(
        `env: "${name}" looks like a secret, and docker-run shows its env on the command line and in docker inspect: ` +
          `check the contract with AGENT_BACKEND=stub (no credentials needed) rather than passing ${name}.`,
      );
    }
  }
  return {
    project,
    projectRoot: config.root,
    workspaceRoot: context.root,
    image: options.image,
    platform: options.platform,
    contract: contract as Contract | undefined,
    checks,
    maxImageSizeMB: options.maxImageSizeMB ?? (contract as Contract | undefined)?.maxImageSizeMB,
    env,
    startTimeoutMs: (options.startTimeoutSeconds ?? 180) * 1000,
    requestTimeoutMs: (options.requestTimeoutSeconds ?? 30) * 1000,
  };
}

/** metadata.contract is hand-editable JSON: check the shape the check relies on, naming the first bad field. */
function validateContract(value: unknown, project: string): asserts value is Contract {
  const bad = (what: string) =>
    new UserError(`The contract of ${project} is invalid: ${what} (fix metadata.contract in project.json or the contract option).`);
  if (typeof value !== 'object' || value === null) throw bad('it is not an object');
  const c = value as Record<string, unknown>;
  if (!Number.isInteger(c['port']) || (c['port'] as number) < 1 || (c['port'] as number) > 65535)
    throw bad(`port ${String(c['port'])} is not 1-65535`);
  if (typeof c['healthPath'] !== 'string' || !c['healthPath'].startsWith('/')) throw bad('healthPath must be a path starting with /');
  if (!Array.isArray(c['endpoints'])) throw bad('endpoints must be a list');
  (c['endpoints'] as unknown[]).forEach((e, i) => {
    const endpoint = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
    if (endpoint['method'] !== 'GET' && endpoint['method'] !== 'POST') throw bad(`endpoints[${i}].method must be GET or POST`);
    if (typeof endpoint['path'] !== 'string' || !endpoint['path'].startsWith('/')) throw bad(`endpoints[${i}].path must start with /`);
  });
  if (c['maxImageSizeMB'] !== undefined && !(typeof c['maxImageSizeMB'] === 'number' && c['maxImageSizeMB'] > 0)) {
    throw bad('maxImageSizeMB must be a positive number');
  }
}

function definedEntries(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
