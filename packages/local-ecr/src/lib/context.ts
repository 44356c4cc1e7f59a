// What every request handler of one local-ecr instance shares: its state, its inner registry, its settings.
import type { InnerRegistry } from './registry-process';
import { saveState, type StateData } from './state';
import type { StatsBook } from './stats';

export interface ServerContext {
  stateDir: string;
  state: StateData;
  inner: InnerRegistry;
  stats: StatsBook;
  accountId: string;
  region: string;
  /** 127.0.0.1:<port>, the host part of repositoryUri and proxyEndpoint. */
  host: string;
  tokenTtlSeconds: number;
  now(): number;
}

export const persist = (context: ServerContext) => saveState(context.stateDir, context.state);
