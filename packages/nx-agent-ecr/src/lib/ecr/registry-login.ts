// Registry login without `docker login`: a temporary DOCKER_CONFIG per run scope (one per process, shared by a
// batch's tasks), written straight from GetAuthorizationToken, never ~/.docker/config.json, removed on success,
// failure, abort (Ctrl-C reaches it through the scope's AbortSignal) and process exit.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EcrPort } from '../aws/clients';
import { explainAccessDenied } from '../aws/errors';
import { UserError } from '../errors';
import { markOwner } from '../task/stale-temp';

export interface RegistryAuth {
  /** Host[:port] as the API names it in proxyEndpoint, e.g. `123.dkr.ecr.eu-west-1.amazonaws.com`. */
  registryHost: string;
  /** Full URL from the API (`https://…`, or `http://127.0.0.1:…` for local-ecr). */
  proxyEndpoint: string;
  /** base64("AWS:<password>"): Docker's `auth` field and an HTTP Basic credential. Never print it. */
  token: string;
  expiresAt?: Date;
}

/** The bit of `process` the session needs for its last-resort cleanup, so tests can hand in an EventEmitter. */
export interface ExitHost {
  once(event: 'exit', listener: () => void): unknown;
  removeListener(event: 'exit', listener: () => void): unknown;
}

export interface LoginSessionOptions {
  ecr: EcrPort;
  env?: NodeJS.ProcessEnv;
  /** Aborting it (the run scope's signal: Ctrl-C, SIGTERM) removes the config directory at once. */
  signal?: AbortSignal;
  exitHost?: ExitHost;
  tmpRoot?: string;
}
// What the user's config dir lends the temp one: plugins (buildx), builders and contexts (which daemon to talk to).
const LINKED = ['cli-plugins', 'buildx', 'contexts'];

/** The user's Docker config directory: $DOCKER_CONFIG, else ~/.docker. */
export function userDockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env['DOCKER_CONFIG'] || join(homedir(), '.docker');
}

export class DockerLoginSession {
  readonly configDir: string;
  private readonly logins = new Map<string, Promise<RegistryAuth>>();
  private readonly auths = new Map<string, RegistryAuth>();
  private readonly currentContext?: string;
  private disposed = false;

  constructor(private readonly options: LoginSessionOptions) {
    const env = options.env ?? process.env;
    this.configDir = mkdtempSync(join(options.tmpRoot ?? tmpdir(), 'nx-agent-ecr-docker-'));
    markOwner(this.configDir);
    const userDir = userDockerConfigDir(env);
    for (const name of LINKED) {
      if (existsSync(join(userDir, name))) symlinkSync(join(userDir, name), join(this.configDir, name));
    }
    this.currentContext = readCurrentContext(userDir);
    this.writeConfig();
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.exitHost().once('exit', this.onExit);
  }

  /** Environment for every docker call of this run. */
  env(): Record<string, string> {
    return { DOCKER_CONFIG: this.configDir };
  }

  /** Logs in once per registry per session (a memoised promise, so concurrent tasks share one token request). */
  login(registryId?: string): Promise<RegistryAuth> {
    const key = registryId ?? 'default';
    let pending = this.logins.get(key);
    if (!pending) {
      pending = this.fetchAuth(registryId);
      this.logins.set(key, pending);
      pending.catch(() => this.logins.delete(key));
    }
    return pending;
  }

  /** A fresh token after the registry said the old one expired mid-run (401, or ECR's 403 DENIED "token has expired"). */
  relogin(registryId?: string): Promise<RegistryAuth> {
    this.logins.delete(registryId ?? 'default');
    return this.login(registryId);
  }

  /** Every token and password this session holds, so error output can be redacted. */
  secrets(): string[] {
    return [...this.auths.values()].flatMap((a) => [
      a.token,
      Buffer.from(a.token, 'base64')
        .toString('utf8')
        .replace(/^[^:]*:/, ''),
    ]);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    rmSync(this.configDir, { recursive: true, force: true });
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.exitHost().removeListener('exit', this.onExit);
  }

  private async fetchAuth(registryId?: string): Promise<RegistryAuth> {
    const out = await this.options.ecr
      .getAuthorizationToken(registryId ? { registryIds: [registryId] } : {})
      .catch((error: unknown) => explainAccessDenied(error, 'ecr:GetAuthorizationToken', '* (it has no resource-level scope)'));
    const data = out.authorizationData?.[0];
    if (!data?.authorizationToken || !data.proxyEndpoint) {
      throw new UserError('GetAuthorizationToken returned no authorization data; the registry cannot be logged in to.');
    }
    const auth: RegistryAuth = {
      registryHost: new URL(data.proxyEndpoint).host,
      proxyEndpoint: data.proxyEndpoint.replace(/\/+$/, ''),
      token: data.authorizationToken,
      expiresAt: data.expiresAt,
    };
    this.auths.set(auth.registryHost, auth);
    this.writeConfig();
    return auth;
  }

  private writeConfig(): void {
    if (this.disposed) return;
    const auths = Object.fromEntries([...this.auths.values()].map((a) => [a.registryHost, { auth: a.token }]));
    const config = { auths, ...(this.currentContext ? { currentContext: this.currentContext } : {}) };
    writeFileSync(join(this.configDir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
  }

  private exitHost(): ExitHost {
    return this.options.exitHost ?? process;
  }

  private readonly onAbort = () => this.dispose();

  private readonly onExit = () => rmSync(this.configDir, { recursive: true, force: true });
}

function readCurrentContext(userDir: string): string | undefined {
  try {
    const config = JSON.parse(readFileSync(join(userDir, 'config.json'), 'utf8')) as { currentContext?: unknown };
    return typeof config.currentContext === 'string' ? config.currentContext : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Docker's words for "the registry did not accept our credentials" (expired token, no auth). ECR's 403 to a HEAD
 * (Docker asks whether a layer exists before uploading it) has no body to say "expired", so Docker reports only that
 * it could not parse it: that counts too, as in registry-http.ts, since one re-login is cheap.
 */
export function isAuthFailure(output: string): boolean {
  return /\b401\b|unauthorized|authorization token has expired|no basic auth credentials|authentication required|error parsing HTTP 403 response body/i.test(
    output,
  );
}
