// What every request handler of one local-ecr instance shares: its state, its inner registry, its settings.
import type { AccessBook } from './access';
import type { TokenKeys } from './auth';
import type { FaultBook } from './faults';
import type { KeyedLock } from './keyed-lock';
import type { ReadLag } from './read-lag';
import type { InnerRegistry } from './registry-process';
import type { ScanBook } from './scans';
import type { StateData } from './state';
import type { StateStore } from './state-store';
import type { StatsBook } from './stats';

export interface ServerContext {
  stateDir: string;
  store: StateStore;
  state: StateData;
  inner: InnerRegistry;
  stats: StatsBook;
  accountId: string;
  region: string;
  /** 127.0.0.1:<port>, the host part of repositoryUri and proxyEndpoint. */
  host: string;
  /** The Host headers this instance answers (127.0.0.1:<port>, localhost:<port>): DNS rebinding protection. */
  allowedHosts: ReadonlySet<string>;
  tokenTtlSeconds: number;
  tokenKey: Buffer;
  /** The per-instance secret the admin endpoints require (<stateDir>/admin-secret). */
  adminSecret: string;
  /** Serializes tag writes (manifest PUT, PutImage, deletes) per repository. */
  repositoryLocks: KeyedLock;
  faults: FaultBook;
  scans: ScanBook;
  /** AssumeRole's credentials, and which roles' keys this account accepts. */
  access: AccessBook;
  lag: ReadLag;
  now(): number;
}

/** Saves the state; resolves once the change is on disk (one write per burst of changes). */
export const persist = (context: ServerContext): Promise<void> => context.store.commit();

export const tokenKeys = (context: ServerContext): TokenKeys => ({ key: context.tokenKey, generation: context.state.tokenGeneration });
