// local-ecr against hostile input, through real clients: prototype-polluting names (SDK, AWS CLI, Docker CLI),
// an operation named `constructor`, a Host that is not local-ecr's (DNS rebinding), cross-site admin calls
// without the secret, and the inner registry, which nothing but local-ecr may reach.
import { Agent, get, type IncomingMessage } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchDeleteImageCommand,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  InvalidParameterException,
  LifecyclePolicyNotFoundException,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutImageCommand,
  PutLifecyclePolicyCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { sh } from '../support/docker';
import { dockerLoginTo, ecrClientFor, pushTinyImage, registryPassword, useLocalEcr } from '../support/local-ecr';
import { busyboxBase } from '../support/toolchain';

const RESERVED = ['__proto__', 'constructor', 'prototype'];
const POLICY = JSON.stringify({
  rules: [
    { rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } },
  ],
});

/** An http.Agent whose DNS answers 127.0.0.1 for every name: what a page sees after rebinding its name. */
const reboundAgent = () =>
  new Agent({
    lookup: ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
      options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) as never,
  });

describe('local-ecr against hostile input', () => {
  const localEcr = useLocalEcr();
  let ecr: ECRClient;
  beforeAll(() => {
    ecr = ecrClientFor(localEcr());
  });

  describe('names that are properties of every JavaScript object', () => {
    const hostileCalls = (name: string) => [
      new CreateRepositoryCommand({ repositoryName: name }),
      new PutImageTagMutabilityCommand({ repositoryName: name, imageTagMutability: 'IMMUTABLE' }),
      new PutLifecyclePolicyCommand({ repositoryName: name, lifecyclePolicyText: POLICY }),
      new PutImageScanningConfigurationCommand({ repositoryName: name, imageScanningConfiguration: { scanOnPush: true } }),
      new DescribeImagesCommand({ repositoryName: name }),
      new BatchDeleteImageCommand({ repositoryName: name, imageIds: [{ imageTag: 'latest' }] }),
      new DeleteRepositoryCommand({ repositoryName: name, force: true }),
      new DescribeRepositoriesCommand({ repositoryNames: [name] }),
    ];

    it.each(RESERVED)('refuses %s on every operation with InvalidParameterException', async (name) => {
      for (const command of hostileCalls(name)) {
        const call = ecr.send(command as never);
        await expect(call).rejects.toBeInstanceOf(InvalidParameterException);
        await expect(call).rejects.toMatchObject({
          $metadata: { httpStatusCode: 400 },
          message: expect.stringContaining(`the name '${name}' is reserved`),
        });
      }
    });

    it('pollutes nothing: afterwards a new repository is MUTABLE, has no policy, and state.json names none of them', async () => {
      const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'hostile/after' }));
      expect(repository).toMatchObject({ imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: false } });
      expect(repository).not.toHaveProperty('imageTagMutabilityExclusionFilters');
      await expect(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'hostile/after' }))).rejects.toBeInstanceOf(
        LifecyclePolicyNotFoundException,
      );
      const state = readFileSync(join(localEcr().stateDir, 'state.json'), 'utf8');
      for (const name of RESERVED) expect(state).not.toContain(`"${name}"`);
      expect(state).not.toContain('IMMUTABLE');
    });

    it('refuses malformed exclusion filters, and answers at once for a filter built to make a regex backtrack', async () => {
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'hostile/filters' }));
      const set = (filter: unknown) =>
        ecr.send(
          new PutImageTagMutabilityCommand({
            repositoryName: 'hostile/filters',
            imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
            imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter } as never],
          }),
        );
      for (const bad of [42, '', 'a'.repeat(129), 'v1/../x']) await expect(set(bad)).rejects.toBeInstanceOf(InvalidParameterException);
      await set('*a'.repeat(60));
      const image = await pushTinyImage(localEcr(), 'hostile/filters', undefined, 'filters');
      const tag = `${'a'.repeat(127)}b`;
      const put = await ecr.send(new PutImageCommand({ repositoryName: 'hostile/filters', imageTag: tag, imageManifest: image.manifest }));
      expect(put.image?.imageId?.imageTag).toBe(tag);
    });

    it('answers an X-Amz-Target of `constructor` with UnknownOperationException, not with its internals', async () => {
      const client = ecrClientFor(localEcr());
      client.middlewareStack.add(
        (next) => async (args) => {
          (args.request as { headers: Record<string, string> }).headers['x-amz-target'] =
            'AmazonEC2ContainerRegistry_V20150921.constructor';
          return next(args);
        },
        { step: 'build', name: 'hostileTarget' },
      );
      await expect(client.send(new DescribeRepositoriesCommand({}))).rejects.toMatchObject({
        name: 'UnknownOperationException',
        $metadata: { httpStatusCode: 400 },
      });
    });

    it('refuses them through the AWS CLI and the Docker CLI too', async () => {
      const env = { ...process.env, ...localEcr().env };
      const cli = sh(
        'aws',
        ['ecr', 'put-image-tag-mutability', '--repository-name', 'constructor', '--image-tag-mutability', 'IMMUTABLE'],
        { env },
      );
      expect(cli.status).not.toBe(0);
      expect(cli.stderr).toContain('An error occurred (InvalidParameterException) when calling the PutImageTagMutability operation');
      const dockerConfig = mkdtempSync(join(tmpdir(), 'docker-config-'));
      const ref = `${localEcr().registryHost}/constructor:v1`;
      try {
        dockerLoginTo(localEcr(), dockerConfig);
        expect(sh('docker', ['tag', busyboxBase, ref]).status).toBe(0);
        const push = sh('docker', ['push', ref], { env: { ...process.env, DOCKER_CONFIG: dockerConfig } });
        expect(push.status).not.toBe(0);
        expect(push.stderr).toContain("the name 'constructor' is reserved");
      } finally {
        sh('docker', ['image', 'rm', ref]);
        rmSync(dockerConfig, { recursive: true, force: true });
      }
    });
  });

  describe('Host headers (DNS rebinding)', () => {
    it('refuses an SDK call to a name that merely resolves to 127.0.0.1, and serves localhost', async () => {
      const port = localEcr().port;
      const rebound = ecrClientFor(localEcr(), {
        endpoint: `http://rebound.attacker.test:${port}`,
        requestHandler: { httpAgent: reboundAgent() },
      });
      await expect(rebound.send(new DescribeRepositoriesCommand({}))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
        message: expect.stringContaining(`not Host 'rebound.attacker.test:${port}'`),
      });
      const viaLocalhost = ecrClientFor(localEcr(), { endpoint: `http://localhost:${port}` });
      await expect(viaLocalhost.send(new DescribeRepositoriesCommand({}))).resolves.toHaveProperty('repositories');
    });

    it('refuses the registry API and the admin API on a rebound name as well', async () => {
      const status = (path: string) =>
        new Promise<number>((resolve, reject) => {
          get({ host: 'rebound.attacker.test', port: localEcr().port, path, agent: reboundAgent() }, (answer: IncomingMessage) => {
            answer.resume();
            resolve(answer.statusCode ?? 0);
          }).on('error', reject);
        });
      expect(await status('/v2/')).toBe(403);
      expect(await status('/_local-ecr/health')).toBe(403);
    });
  });

  describe('admin endpoints', () => {
    it('refuses a cross-site POST without the secret: the tokens handed out stay valid, and no CORS header is sent', async () => {
      const password = await registryPassword(localEcr());
      const auth = { authorization: `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}` };
      for (const headers of [{}, { 'x-local-ecr-secret': 'guessed' }] as Record<string, string>[]) {
        const answer = await fetch(`${localEcr().endpoint}/_local-ecr/expire-tokens`, {
          method: 'POST',
          headers: { origin: 'http://attacker.test', 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body: 'a=b',
        });
        expect(answer.status).toBe(401);
        expect(answer.headers.get('access-control-allow-origin')).toBeNull();
        expect(((await answer.json()) as { message: string }).message).toContain('need the header x-local-ecr-secret');
      }
      const fault = await fetch(`${localEcr().endpoint}/_local-ecr/faults`, {
        method: 'POST',
        body: JSON.stringify({ operation: 'PutImage', error: 'ServerException' }),
      });
      expect(fault.status).toBe(401);
      expect((await fetch(`${localEcr().endpoint}/v2/`, { headers: auth })).status).toBe(200);
      await localEcr().expireTokens();
      expect((await fetch(`${localEcr().endpoint}/v2/`, { headers: auth })).status).toBe(403);
    });
  });

  describe('the inner registry', () => {
    it('listens on a Unix socket in a 0700 directory, on no TCP port, and refuses any other user', () => {
      const stateDir = localEcr().stateDir;
      expect(readFileSync(join(stateDir, 'registry-config.yml'), 'utf8')).toMatch(/net: unix\n {2}addr: ".*registry\.sock"/);
      const socket = /addr: "(.*)"/.exec(readFileSync(join(stateDir, 'registry-config.yml'), 'utf8'))![1]!;
      expect(statSync(join(socket, '..')).mode & 0o777).toBe(0o700);
      const { pid } = JSON.parse(readFileSync(join(stateDir, 'registry.pid'), 'utf8')) as { pid: number };
      const listening = sh('ss', ['-Hltnp']);
      expect(listening.status).toBe(0);
      expect(listening.stdout).not.toContain(`pid=${pid},`);
      const asNobody = sh('setpriv', [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        '--',
        'curl',
        '-sS',
        '--unix-socket',
        socket,
        'http://registry/v2/',
      ]);
      expect(asNobody.status).toBe(7);
      expect(sh('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--unix-socket', socket, 'http://registry/v2/']).stdout).toBe(
        '200',
      );
    });
  });
});
