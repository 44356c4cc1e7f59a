// The temp Docker config: what it contains, what it borrows from the user's, and that it always goes away.
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import 'aws-sdk-client-mock-jest';
import { EventEmitter } from 'node:events';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsError, mockedEcr } from '../aws/test-support';
import { DockerLoginSession, isAuthFailure } from './registry-login';

const TOKEN = Buffer.from('AWS:pw-123456789').toString('base64');

function setup() {
  const { mock, ecr } = mockedEcr();
  mock
    .on(GetAuthorizationTokenCommand)
    .resolves({ authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: 'http://127.0.0.1:5999/' }] });
  const userDir = mkdtempSync(join(tmpdir(), 'user-docker-'));
  const exitHost = new EventEmitter();
  const abort = new AbortController();
  const tmpRoot = mkdtempSync(join(tmpdir(), 'login-tmp-'));
  const session = () => new DockerLoginSession({ ecr, env: { DOCKER_CONFIG: userDir }, signal: abort.signal, exitHost, tmpRoot });
  return { mock, userDir, exitHost, abort, session };
}

const config = (s: DockerLoginSession) => JSON.parse(readFileSync(join(s.configDir, 'config.json'), 'utf8'));

describe('DockerLoginSession', () => {
  it('writes the token from GetAuthorizationToken for the proxyEndpoint host, in a 0600 file, and nothing else', async () => {
    const { session } = setup();
    const s = session();
    expect(config(s)).toEqual({ auths: {} });
    await expect(s.login()).resolves.toMatchObject({ registryHost: '127.0.0.1:5999', proxyEndpoint: 'http://127.0.0.1:5999' });
    expect(config(s)).toEqual({ auths: { '127.0.0.1:5999': { auth: TOKEN } } });
    expect(statSync(join(s.configDir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(s.env()).toEqual({ DOCKER_CONFIG: s.configDir });
    s.dispose();
  });

  it("links the user's cli-plugins, buildx and contexts and keeps the current context, but not credsStore", () => {
    const { session, userDir } = setup();
    for (const dir of ['cli-plugins', 'contexts']) mkdirSync(join(userDir, dir));
    writeFileSync(
      join(userDir, 'config.json'),
      JSON.stringify({ currentContext: 'colima', credsStore: 'desktop', auths: { x: { auth: 'old' } } }),
    );
    const s = session();
    expect(lstatSync(join(s.configDir, 'cli-plugins')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(s.configDir, 'cli-plugins'))).toBe(join(userDir, 'cli-plugins'));
    expect(existsSync(join(s.configDir, 'buildx'))).toBe(false);
    expect(config(s)).toEqual({ auths: {}, currentContext: 'colima' });
    s.dispose();
    expect(existsSync(join(userDir, 'cli-plugins'))).toBe(true);
  });

  it('logs in once per registry for concurrent callers, and again only on relogin', async () => {
    const { session, mock } = setup();
    const s = session();
    await Promise.all([s.login(), s.login(), s.login()]);
    expect(mock).toHaveReceivedCommandTimes(GetAuthorizationTokenCommand, 1);
    await s.relogin();
    expect(mock).toHaveReceivedCommandTimes(GetAuthorizationTokenCommand, 2);
    s.dispose();
  });

  it('names ecr:GetAuthorizationToken when it is denied, and says so when no data comes back', async () => {
    const { session, mock } = setup();
    mock.on(GetAuthorizationTokenCommand).rejects(awsError('AccessDeniedException'));
    const s = session();
    await expect(s.login()).rejects.toThrow('"ecr:GetAuthorizationToken" on * (it has no resource-level scope)');
    mock.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [] });
    await expect(s.login()).rejects.toThrow('GetAuthorizationToken returned no authorization data');
    s.dispose();
  });

  it('lists the token and the password as secrets for redaction', async () => {
    const { session } = setup();
    const s = session();
    await s.login();
    expect(s.secrets()).toEqual([TOKEN, 'pw-123456789']);
    s.dispose();
  });

  it('is removed by dispose, which also drops its exit listener', () => {
    const { session, exitHost } = setup();
    const s = session();
    expect(exitHost.listenerCount('exit')).toBe(1);
    s.dispose();
    expect(existsSync(s.configDir)).toBe(false);
    expect(exitHost.listenerCount('exit')).toBe(0);
  });

  it("is removed at once when the run scope's signal aborts (Ctrl-C, SIGTERM)", () => {
    const { session, abort, exitHost } = setup();
    const s = session();
    abort.abort();
    expect(existsSync(s.configDir)).toBe(false);
    expect(exitHost.listenerCount('exit')).toBe(0);
  });

  it('is removed when the process exits', () => {
    const { session, exitHost } = setup();
    const s = session();
    exitHost.emit('exit');
    expect(existsSync(s.configDir)).toBe(false);
  });
});

describe('isAuthFailure', () => {
  test.each([
    ['unauthorized: authentication required', true],
    ['denied: Your authorization token has expired. Reauthenticate and try again.', true],
    ['no basic auth credentials', true],
    ['received unexpected HTTP status: 401 Unauthorized', true],
    ['error parsing HTTP 403 response body: unexpected end of JSON input: ""', true],
    ['write tcp 1.2.3.4: connection reset by peer', false],
    ['denied: requested access to the resource is denied', false],
  ])('%s → %s', (output, expected) => {
    expect(isAuthFailure(output)).toBe(expected);
  });
});
