// serveLocalEcr: runs local-ecr inside this process (the CLI's foreground mode; startLocalEcr's child).
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { AccessBook } from './access';
import { adminApi, adminCall, type AdminApi } from './admin-client';
import { DEFAULT_TOKEN_TTL_SECONDS } from './auth';
import type { ServerContext } from './context';
import { OPERATIONS } from './ecr-api';
import { FaultBook } from './faults';
import { recordedInstance, removeInstance, writeInstance } from './instance-file';
import { KeyedLock } from './keyed-lock';
import { ReadLag } from './read-lag';
import { changed, reconcile } from './reconcile';
import { startInnerRegistry, DEFAULT_REGISTRY_BINARY, type InnerRegistry } from './registry-process';
import { REGISTRY_OPERATIONS } from './registry-route';
import { ScanBook } from './scans';
import { newAdminSecret, removeAdminSecret, tokenKey } from './secret-files';
import { createLocalEcrServer, listen } from './server';
import { loadState, saveState } from './state';
import { tryLockStateDir } from './state-lock';
import { StateStore } from './state-store';
import { StatsBook } from './stats';

export const DEFAULT_PORT = 5100;
export const DEFAULT_ACCOUNT_ID = '000000000000';

export interface LocalEcrOptions {
  /** Where repositories, images and the token key live; default $LOCAL_ECR_STATE_DIR or ~/.local-ecr. */
  stateDir?: string;
  /** Port on 127.0.0.1; default 5100. 0 picks a free port (what tests want). */
  port?: number;
  /** Lifetime of the passwords GetAuthorizationToken hands out; default 12 h, like ECR. */
  tokenTtlSeconds?: number;
  /** The CNCF distribution registry binary; default /usr/bin/docker-registry. */
  registryBinary?: string;
  /** Region reported in ARNs and the printed env; default $AWS_REGION or us-east-1. */
  region?: string;
  /** The account (registry id) this instance stands for, 12 digits; default 000000000000. Two instances, two accounts. */
  accountId?: string;
  /**
   * Serve from this process instead of a child process. Only for a process that does nothing else: a caller that
   * blocks its event loop (spawnSync of docker or aws) would stop local-ecr from answering and deadlock.
   */
  inProcess?: boolean;
  /** How long startLocalEcr waits for the child to serve before it kills it and fails; default 60 s. */
  startTimeoutMs?: number;
}

export interface LocalEcr extends AdminApi {
  /** http://127.0.0.1:<port>: ECR API, STS and the registry API on one port. */
  endpoint: string;
  /** 127.0.0.1:<port>: the registry host of repositoryUri, for docker. */
  registryHost: string;
  port: number;
  region: string;
  accountId: string;
  stateDir: string;
  /** The secret the admin endpoints require (header x-local-ecr-secret; also in <stateDir>/admin-secret). */
  adminSecret: string;
  /** AWS_ENDPOINT_URL, AWS_REGION and dummy credentials, for child processes and SDK clients. */
  env: Record<string, string>;
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

/** Every operation a fault can name: the ECR API's, STS GetCallerIdentity, and the registry's. */
const FAULT_OPERATIONS = new Set([...OPERATIONS.keys(), 'GetCallerIdentity', ...REGISTRY_OPERATIONS.keys()]);

/** The bookkeeping, reconciled with what the registry holds (the registry wins after a crash). */
async function reconciledState(stateDir: string, inner: InnerRegistry) {
  const state = loadState(stateDir);
  const report = await reconcile(state, inner);
  if (changed(report)) {
    saveState(stateDir, state);
    console.error(
      `local-ecr: the bookkeeping did not match the registry (an earlier crash?); took the registry's: ${report.imagesAdded} images added, ` +
        `${report.imagesForgotten} forgotten, ${report.tagsChanged} tags moved.`,
    );
  }
  return state;
}

export async function serveLocalEcr(options: LocalEcrOptions = {}): Promise<LocalEcr> {
  const stateDir = resolve(options.stateDir ?? defaultStateDir());
  const ttl = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  if (!/^\d{12}$/.test(accountId)) throw new Error(`accountId must be 12 digits, got '${accountId}'.`);
  if (!Number.isFinite(ttl) || ttl <= 0) throw new Error(`tokenTtlSeconds must be a positive number of seconds, got ${ttl}.`);
  mkdirSync(stateDir, { recursive: true });
  // The lock comes first: a second start on this directory must not touch the first one's registry or files.
  const lock = tryLockStateDir(stateDir);
  if (!lock) {
    const other = recordedInstance(stateDir);
    const who = other ? `pid ${other.pid}, ${other.endpoint}` : 'another local-ecr is starting on it';
    throw new Error(`local-ecr already serves ${stateDir} (${who}): stop it or use another state directory.`);
  }
  let inner: InnerRegistry | undefined;
  try {
    const region = options.region ?? process.env['AWS_REGION'] ?? 'us-east-1';
    inner = await startInnerRegistry(stateDir, options.registryBinary ?? DEFAULT_REGISTRY_BINARY);
    const state = await reconciledState(stateDir, inner);
    const context: ServerContext = {
      stateDir,
      store: new StateStore(stateDir, state),
      state,
      inner,
      region,
      stats: new StatsBook(),
      accountId,
      host: '',
      allowedHosts: new Set(),
      tokenTtlSeconds: ttl,
      tokenKey: tokenKey(stateDir),
      adminSecret: newAdminSecret(stateDir),
      repositoryLocks: new KeyedLock(),
      faults: new FaultBook(FAULT_OPERATIONS),
      scans: new ScanBook(),
      access: new AccessBook(),
      lag: new ReadLag(),
      now: () => Date.now(),
    };
    const server = createLocalEcrServer(context);
    const port = await listen(server, options.port ?? DEFAULT_PORT);
    context.host = `127.0.0.1:${port}`;
    context.allowedHosts = new Set([context.host, `localhost:${port}`]);
    const endpoint = `http://${context.host}`;
    writeInstance(stateDir, { port, endpoint, startedAt: new Date().toISOString() });
    const registry = inner;
    let stopped: Promise<void> | undefined;
    return {
      endpoint,
      registryHost: context.host,
      port,
      region,
      accountId: context.accountId,
      stateDir,
      adminSecret: context.adminSecret,
      env: localEcrEnv(endpoint, region),
      ...adminApi(adminCall(endpoint, context.adminSecret)),
      stop: () =>
        (stopped ??= (async () => {
          server.closeAllConnections();
          await new Promise<void>((done) => server.close(() => done()));
          await context.store.settle();
          await registry.stop();
          removeInstance(stateDir);
          removeAdminSecret(stateDir);
          lock.release();
        })()),
    };
  } catch (error) {
    await inner?.stop();
    removeAdminSecret(stateDir);
    lock.release();
    throw error;
  }
}
