// The client side of the admin API (what the CLI, startLocalEcr and the test helpers call), with the secret.
import type { IssuedCredentials } from './access';
import type { Fault, FaultSpec } from './faults';
import type { ScanRecord, ScanSetting, ScanSettingInput } from './scans';
import { ADMIN_SECRET_HEADER } from './secret-files';
import type { Stats } from './stats';

export interface FaultsApi {
  /** Adds a fault; it applies from the next matching call on. */
  add(spec: FaultSpec): Promise<Fault>;
  /** The faults with how many calls each has seen and how often it fired. */
  list(): Promise<Fault[]>;
  remove(id: string): Promise<void>;
  /** Removes every fault and every read-after-write lag. */
  clear(): Promise<void>;
}

export interface ScansApi {
  /** Sets the findings (and how the scan progresses) for a repository, or one tag of it. */
  set(setting: ScanSettingInput): Promise<ScanSetting>;
  list(): Promise<{ settings: ScanSetting[]; scans: ScanRecord[] }>;
  /** Forgets every setting and every scan. */
  clear(): Promise<void>;
}

export interface AccessApi {
  /** From now on only keys AssumeRole issued for these roles may call the ECR API; [] admits everyone again. */
  allowRoles(roles: string[]): Promise<void>;
  /** The credentials AssumeRole handed out (the last 100), secrets included: what a leak test looks for. */
  issued(): Promise<IssuedCredentials[]>;
}

export interface AdminApi {
  stats(): Promise<Stats>;
  resetStats(): Promise<void>;
  expireTokens(): Promise<void>;
  faults: FaultsApi;
  scans: ScansApi;
  access: AccessApi;
}

export type AdminCall = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => Promise<unknown>;

export function adminCall(endpoint: string, secret: string): AdminCall {
  return async (method, path, body) => {
    const response = await fetch(`${endpoint}/_local-ecr${path}`, {
      method,
      headers: { [ADMIN_SECRET_HEADER]: secret, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) {
      const message = (() => {
        try {
          return (JSON.parse(text) as { message?: string }).message;
        } catch {
          return undefined;
        }
      })();
      throw new Error(message ?? `local-ecr answered ${response.status} to ${method} ${path}`);
    }
    return JSON.parse(text) as unknown;
  };
}

export function adminApi(call: AdminCall): AdminApi {
  return {
    stats: async () => (await call('GET', '/stats')) as Stats,
    resetStats: async () => void (await call('POST', '/stats/reset')),
    expireTokens: async () => void (await call('POST', '/expire-tokens')),
    faults: {
      add: async (spec) => (await call('POST', '/faults', spec)) as Fault,
      list: async () => ((await call('GET', '/faults')) as { faults: Fault[] }).faults,
      remove: async (id) => void (await call('DELETE', `/faults/${encodeURIComponent(id)}`)),
      clear: async () => void (await call('DELETE', '/faults')),
    },
    scans: {
      set: async (setting) => (await call('POST', '/scans', setting)) as ScanSetting,
      list: async () => (await call('GET', '/scans')) as { settings: ScanSetting[]; scans: ScanRecord[] },
      clear: async () => void (await call('DELETE', '/scans')),
    },
    access: {
      allowRoles: async (roles) => void (await call('POST', '/access', { allowRoles: roles })),
      issued: async () => ((await call('GET', '/access')) as { issued: IssuedCredentials[] }).issued,
    },
  };
}
