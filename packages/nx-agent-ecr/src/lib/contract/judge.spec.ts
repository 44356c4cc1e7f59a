// Table tests of the contract check's decisions: platform, user, size, answers, and the one line.
import type { ImageFacts } from '../docker/container';
import { answerJson, answerProblem, platformClause, sizeClause, userClause, userFromId, verdictLine, type Answer } from './judge';

const facts = (change: Partial<ImageFacts> = {}): ImageFacts => ({
  os: 'linux',
  architecture: 'arm64',
  user: '10001:10001',
  sizeBytes: 1,
  ...change,
});
const json = (body: unknown, status = 200): Answer => ({ status, contentType: 'application/json', text: JSON.stringify(body) });

describe('platformClause', () => {
  test.each<[string, Partial<ImageFacts>, string, boolean]>([
    ['arm64 image, arm64 asked', {}, 'linux/arm64', true],
    ['a v8 variant matches linux/arm64', { variant: 'v8' }, 'linux/arm64', true],
    ['linux/arm64/v8 matches an image without a variant', {}, 'linux/arm64/v8', true],
    ['an amd64 image is not arm64', { architecture: 'amd64' }, 'linux/arm64', false],
    ['another os is not linux', { os: 'windows' }, 'linux/arm64', false],
  ])('%s', (_name, change, platform, ok) => expect(platformClause(facts(change), platform).ok).toBe(ok));

  it('names what the image is and how to build what was asked', () => {
    expect(platformClause(facts({ architecture: 'amd64' }), 'linux/arm64').detail).toBe(
      'the image is linux/amd64, not linux/arm64: build it with --platform linux/arm64',
    );
  });
});

describe('userClause', () => {
  test.each<[string, 'root' | 'not root' | 'ask']>([
    ['', 'root'],
    ['root', 'root'],
    ['0', 'root'],
    ['0:0', 'root'],
    ['root:agent', 'root'],
    ['10001:10001', 'not root'],
    ['1001', 'not root'],
    ['agent', 'ask'],
    ['agent:agent', 'ask'],
  ])('USER "%s" → %s', (user, expected) => {
    const clause = userClause(user);
    expect(clause === undefined ? 'ask' : clause.ok ? 'not root' : 'root').toBe(expected);
  });

  it('an image without USER fails with the fix', () => {
    expect(userClause('')?.detail).toBe(
      'runs as root (the image sets no USER): add a non-root user and USER 10001:10001 to the Dockerfile',
    );
  });

  test.each<[number, string, boolean, RegExp]>([
    [0, '10001\n', true, /uid 10001/],
    [0, '0\n', false, /uid 0 \(root\)/],
    [127, '', false, /has no `id`/],
  ])('a named USER asked in the container: id -u exits %i with %j', (exitCode, stdout, ok, detail) => {
    const clause = userFromId('agent', exitCode, stdout);
    expect(clause.ok).toBe(ok);
    expect(clause.detail).toMatch(detail);
  });
});

describe('sizeClause', () => {
  test.each<[number, number | undefined, boolean, string]>([
    [999_000_000, 1000, true, '999 MB ≤ the 1000 MB limit'],
    [1_000_000_000, 1000, true, '1000 MB ≤ the 1000 MB limit'],
    [1_000_000_001, 1000, false, '1000 MB > the 1000 MB limit: make the image smaller (multi-stage, fewer packages)'],
    [4_300_000, 1, false, '4.3 MB > the 1 MB limit: make the image smaller (multi-stage, fewer packages)'],
    [5_000_000_000, undefined, true, '5000 MB'],
  ])('%i bytes against %s MB', (bytes, limit, ok, detail) => expect(sizeClause(bytes, limit)).toEqual({ clause: 'size', ok, detail }));
});

describe('answerProblem', () => {
  const PING = { fields: { status: ['Healthy', 'HealthyBusy'] } };
  test.each<[string, Parameters<typeof answerProblem>[0], Answer, string | undefined]>([
    ['Healthy keeps the ping contract', PING, json({ status: 'Healthy' }), undefined],
    ['HealthyBusy keeps it too', PING, json({ status: 'HealthyBusy', time_of_last_update: 1 }), undefined],
    ['another status breaks it', PING, json({ status: 'Unhealthy' }), '"status" is "Unhealthy", expected Healthy or HealthyBusy'],
    ['a missing field breaks it', PING, json({ state: 'ok' }), 'the answer has no "status": {"state":"ok"}'],
    ['a non-2xx status breaks any endpoint', {}, json({ error: 'x' }, 503), 'answered HTTP 503: {"error":"x"}'],
    [
      'a body that is not JSON breaks a field check',
      PING,
      { status: 200, contentType: 'text/html', text: '<h1>hi</h1>' },
      'answered text/html that is not JSON: <h1>hi</h1>',
    ],
    ['no fields: any 2xx keeps it', {}, { status: 204, contentType: '', text: '' }, undefined],
    [
      'dotted paths reach into the answer',
      { fields: { 'result.serverInfo.name': [] } },
      json({ result: { serverInfo: { name: 'svc' } } }),
      undefined,
    ],
    [
      '[] allows any value but not a missing one',
      { fields: { name: [] } },
      json({ name: null }),
      'the answer has no "name": {"name":null}',
    ],
  ])('%s', (_name, check, answer, problem) => expect(answerProblem(check, answer)).toBe(problem));

  it('reads the first JSON data event of a text/event-stream answer (MCP over SSE)', () => {
    const sse: Answer = {
      status: 200,
      contentType: 'text/event-stream',
      text: 'event: message\ndata: {"jsonrpc":"2.0","result":{"serverInfo":{"name":"s"}}}\n\n',
    };
    expect(answerJson(sse)).toEqual({ jsonrpc: '2.0', result: { serverInfo: { name: 's' } } });
    expect(answerProblem({ fields: { 'result.serverInfo.name': [] } }, sse)).toBeUndefined();
  });

  it('shortens a long body in the message', () => {
    expect(answerProblem({}, { status: 500, contentType: 'text/plain', text: 'x'.repeat(500) })).toHaveLength(
      'answered HTTP 500: '.length + 120,
    );
  });
});

describe('verdictLine', () => {
  it('passes in one line listing every clause', () => {
    expect(
      verdictLine('svc', [
        { clause: 'platform', ok: true, detail: 'linux/arm64' },
        { clause: 'GET /ping', ok: true, detail: 'HTTP 200' },
      ]),
    ).toEqual({ ok: true, line: 'Contract check of svc passed: platform (linux/arm64), GET /ping (HTTP 200).' });
  });

  it('fails in one line naming every broken clause and only those', () => {
    const verdict = verdictLine('svc', [
      { clause: 'platform', ok: true, detail: 'linux/arm64' },
      { clause: 'user', ok: false, detail: 'runs as root' },
      { clause: 'size', ok: false, detail: '2 GB > 1 GB' },
    ]);
    expect(verdict).toEqual({ ok: false, line: 'Contract check of svc failed: user — runs as root; size — 2 GB > 1 GB.' });
    expect(verdict.line).not.toContain('\n');
  });
});
