// The executors' base-image lookup: which credentials it sends where (the push's ECR login for its own registry,
// Docker's config for others, nothing unasked) and that one process asks once per reference and platform.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseDigestLookup } from './base-lookup';
import { parseImageRef, type ImageRef } from './image-ref';

const DIGEST = `sha256:${'d'.repeat(64)}`;
const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const ECR_TOKEN = Buffer.from('AWS:ecr-password').toString('base64');
const HUB_AUTH = Buffer.from('me:hub-password').toString('base64');

/** A registry that wants Basic auth and answers an arm64 index; records every request's URL and authorization. */
function basicRegistry(expected: string) {
  const seen: string[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    const authorization = (init?.headers as Record<string, string> | undefined)?.['authorization'];
    seen.push(`${url} ${authorization ?? '-'}`);
    if (authorization !== `Basic ${expected}`) return new Response('', { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } });
    return new Response(JSON.stringify({ manifests: [{ digest: DIGEST, platform: { os: 'linux', architecture: 'arm64' } }] }));
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

const noProcess = async () => {
  throw new Error('no credential helper expected');
};
const ref = (text: string) => parseImageRef(text) as ImageRef;

describe('base-image lookup', () => {
  it("uses the push's own ECR login for a base in its registry, and asks once per reference and platform", async () => {
    const registry = basicRegistry(ECR_TOKEN);
    let logins = 0;
    const session = async () => (logins++, { registryHost: ECR, proxyEndpoint: `https://${ECR}`, token: ECR_TOKEN });
    const cache = new Map<string, Promise<string>>();
    const lookup = baseDigestLookup({
      run: noProcess,
      env: { DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'bl-')) },
      cache,
      session,
      fetch: registry.fetch,
    });
    const base = ref(`${ECR}/base/python:3.12`);
    await expect(Promise.all([lookup(base, 'linux/arm64'), lookup(base, 'linux/arm64')])).resolves.toEqual([DIGEST, DIGEST]);
    expect(registry.seen).toEqual([
      `https://${ECR}/v2/base/python/manifests/3.12 -`,
      `https://${ECR}/v2/base/python/manifests/3.12 Basic ${ECR_TOKEN}`,
    ]);
    expect(logins).toBe(1);
    expect([...cache.keys()]).toEqual([`${ECR}/base/python:3.12 linux/arm64`]);
  });

  it("uses Docker's config for other registries and never sends the ECR token there", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bl-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { 'registry.example': { auth: HUB_AUTH } } }));
    const registry = basicRegistry(HUB_AUTH);
    const session = async () => ({ registryHost: ECR, proxyEndpoint: `https://${ECR}`, token: ECR_TOKEN });
    const lookup = baseDigestLookup({ run: noProcess, env: { DOCKER_CONFIG: dir }, cache: new Map(), session, fetch: registry.fetch });
    await expect(lookup(ref('registry.example/team/base:1'), 'linux/arm64')).resolves.toBe(DIGEST);
    expect(registry.seen.join('\n')).not.toContain(ECR_TOKEN);
    expect(registry.seen.at(-1)).toBe(`https://registry.example/v2/team/base/manifests/1 Basic ${HUB_AUTH}`);
  });

  it('keeps no failed answer: the next task asks again', async () => {
    let calls = 0;
    const fetch = (async () =>
      ++calls === 1 ? new Response('', { status: 503 }) : new Response('{}')) as unknown as typeof globalThis.fetch;
    const cache = new Map<string, Promise<string>>();
    const lookup = baseDigestLookup({ run: noProcess, env: { DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'bl-')) }, cache, fetch });
    await expect(lookup(ref('registry.example/x:1'), 'linux/arm64')).rejects.toThrow(/503/);
    await expect(lookup(ref('registry.example/x:1'), 'linux/arm64')).resolves.toMatch(/^sha256:/);
    expect(calls).toBe(2);
  });
});
