// serveLocalEcr: runs local-ecr inside this process (the CLI's foreground mode; startLocalEcr's child).
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { expireAllTokens, DEFAULT_TOKEN_TTL_SECONDS } from './auth';
import { type ServerContext, persist } from './context';
import { removeInstance, runningInstance, writeInstance } from './instance-file';
import { startInnerRegistry, DEFAULT_REGISTRY_BINARY } from './registry-process';
import { createLocalEcrServer, listen } from './server';
import { loadState } from './state';
import { StatsBook, type Stats } from './stats';

export const DEFAULT_PORT = 5100;
export const DEFAULT_ACCOUNT_ID = '000000000000';

export interface LocalEcrOptions {
  /** Where repositories, images and token hashes live; default $LOCAL_ECR_STATE_DIR or ~/.local-ecr. */
  stateDir?: string;
  /** Port on 127.0.0.1; default 5100. 0 picks a free port (what tests want). */
  port?: number;
  /** Lifetime of the passwords GetAuthorizationToken hands out; default 12 h, like ECR. */
  tokenTtlSeconds?: number;
  /** The CNCF distribution registry binary; default /usr/bin/docker-registry. */
  registryBinary?: string;
  /** Region reported in ARNs and the printed env; default $AWS_REGION or us-east-1. */
  region?: string;
  /**
   * Serve from this process instead of a child process. Only for a process that does nothing else: a caller that
   * blocks its event loop (spawnSync of docker or aws) would stop local-ecr from answering and deadlock.
   */
  inProcess?: boolean;
}

export interface LocalEcr {
  /** http://127.0.0.1:<port>: ECR API, STS and the registry API on one port. */
  endpoint: string;
  /** 127.0.0.1:<port>: the registry host of repositoryUri, for docker. */
  registryHost: string;
  port: number;
  region: string;
  accountId: string;
  stateDir: string;
  /** AWS_ENDPOINT_URL, AWS_REGION and dummy credentials, for child processes and SDK clients. */
  env: Record<string, string>;
  stats(): Promise<Stats>;
  resetStats(): Promise<void>;
  expireTokens(): Promise<void>;
  stop(): Promise<void>;
}

export const defaultStateDir = () => process.env['LOCAL_ECR_STATE_DIR'] ?? join(homedir(), '.local-ecr');

export function localEcrEnv(endpoint: string, region: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
}

export async function serveLocalEcr(options: LocalEcrOptions = {}): Promise<LocalEcr> {
  const stateDir = resolve(options.stateDir ?? defaultStateDir());
  const ttl = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!Number.isFinite(ttl) || ttl <= 0) throw new Error(`tokenTtlSeconds must be a positive number of seconds, got ${ttl}.`);
  mkdirSync(stateDir, { recursive: true });
  const other = runningInstance(stateDir);
  if (other && other.pid !== process.pid) {
    throw new Error(`local-ecr already serves ${stateDir} (pid ${other.pid}, ${other.endpoint}): stop it or use another state directory.`);
  }
  const region = options.region ?? process.env['AWS_REGION'] ?? 'us-east-1';
  const state = loadState(stateDir);
  const inner = await startInnerRegistry(stateDir, options.registryBinary ?? DEFAULT_REGISTRY_BINARY);
  const context: ServerContext = {
    stateDir,
    state,
    inner,
    region,
    stats: new StatsBook(),
    accountId: DEFAULT_ACCOUNT_ID,
    host: '',
    tokenTtlSeconds: ttl,
    now: () => Date.now(),
  };
  const server = createLocalEcrServer(context);
  let port: number;
  try {
    port = await listen(server, options.port ?? DEFAULT_PORT);
  } catch (error) {
    await inner.stop();
    throw error;
  }
  context.host = `127.0.0.1:${port}`;
  const endpoint = `http://${context.host}`;
  writeInstance(stateDir, { pid: process.pid, port, endpoint, startedAt: new Date().toISOString() });
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    registryHost: context.host,
    port,
    region,
    accountId: context.accountId,
    stateDir,
    env: localEcrEnv(endpoint, region),
    stats: () => Promise.resolve(context.stats.snapshot()),
    resetStats: () => Promise.resolve(context.stats.reset()),
    expireTokens: () => {
      expireAllTokens(context.state, context.now());
      persist(context);
      return Promise.resolve();
    },
    stop: () =>
      (stopped ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
        await inner.stop();
        removeInstance(stateDir);
      })()),
  };
}
