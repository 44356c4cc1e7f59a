// local-ecr's fault hooks as clients meet them: the AWS SDK's retry decisions, the AWS CLI's error lines, STS's
// own codes, delays, a black hole, read-after-write lag, and a connection reset in the middle of a docker push.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ImageNotFoundException,
  ListImagesCommand,
  PutImageCommand,
  PutImageTagMutabilityCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { sh } from '../support/docker';
import { dockerLoginTo, ecrClientFor, pushTinyImage, stsClientFor, useLocalEcr } from '../support/local-ecr';
import { busyboxBase } from '../support/toolchain';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('local-ecr fault hooks', () => {
  const localEcr = useLocalEcr();
  let ecr: ECRClient;
  let once: ECRClient;
  beforeAll(async () => {
    ecr = ecrClientFor(localEcr());
    once = ecrClientFor(localEcr(), { maxAttempts: 1 });
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'faults/app' }));
  });
  afterEach(async () => {
    await localEcr().faults.clear();
  });

  it('has no fault until one is added, and refuses a bad one in one line', async () => {
    expect(await localEcr().faults.list()).toEqual([]);
    await expect(localEcr().faults.add({ operation: 'PutImg', error: 'ServerException' })).rejects.toThrow(
      /^local-ecr: fault operation "PutImg" is unknown; use one of CreateRepository, /,
    );
  });

  it('fails the Nth call with ServerException (HTTP 500): the SDK retries it, and without retries sees a server fault', async () => {
    await localEcr().faults.add({ operation: 'DescribeRepositories', nth: 1, error: 'ServerException' });
    const retried = await ecr.send(new DescribeRepositoriesCommand({}));
    expect(retried.$metadata.attempts).toBe(2);
    await localEcr().faults.add({ operation: 'DescribeRepositories', nth: 1, error: 'ServerException' });
    await expect(once.send(new DescribeRepositoriesCommand({}))).rejects.toMatchObject({
      name: 'ServerException',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
  });

  it('throttles every other call (50 %): each SDK call still succeeds, and half of all attempts were throttled', async () => {
    const { id } = await localEcr().faults.add({ operation: 'DescribeRepositories', every: 2, error: 'ThrottlingException' });
    let attempts = 0;
    for (let n = 0; n < 10; n++) attempts += (await ecr.send(new DescribeRepositoriesCommand({}))).$metadata.attempts ?? 0;
    const [fault] = await localEcr().faults.list();
    expect(fault).toMatchObject({ id, calls: attempts, fired: Math.floor(attempts / 2) });
    expect(attempts).toBeGreaterThan(10);
    const outcomes = await Promise.allSettled([
      once.send(new DescribeRepositoriesCommand({})),
      once.send(new DescribeRepositoriesCommand({})),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400, attempts: 1 },
      message: 'Rate exceeded',
    });
  });

  it('refuses with AccessDeniedException naming the action and repository, which the SDK does not retry', async () => {
    await localEcr().faults.add({ operation: 'PutImageTagMutability', repository: 'faults/app', nth: 1, error: 'AccessDeniedException' });
    const denied = ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'faults/app', imageTagMutability: 'IMMUTABLE' }));
    await expect(denied).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400, attempts: 1 },
      message: expect.stringContaining(
        'is not authorized to perform: ecr:PutImageTagMutability on resource: arn:aws:ecr:us-east-1:000000000000:repository/faults/app',
      ),
    });
  });

  it('reaches the AWS CLI as ECR throttling: it retries up to its limit, then prints the code and message', async () => {
    await localEcr().faults.add({ operation: 'DescribeRepositories', error: 'ThrottlingException' });
    const cli = sh('aws', ['ecr', 'describe-repositories'], {
      env: { ...process.env, ...localEcr().env, AWS_MAX_ATTEMPTS: '3', AWS_RETRY_MODE: 'standard' },
    });
    expect(cli.status).not.toBe(0);
    expect(cli.stderr).toContain(
      'An error occurred (ThrottlingException) when calling the DescribeRepositories operation (reached max retries: 2): Rate exceeded',
    );
    expect((await localEcr().faults.list())[0]).toMatchObject({ calls: 3, fired: 3 });
  });

  it("throttles STS GetCallerIdentity with STS's own code, which the SDK retries", async () => {
    await localEcr().faults.add({ operation: 'GetCallerIdentity', nth: 1, error: 'ThrottlingException' });
    await expect(stsClientFor(localEcr(), { maxAttempts: 1 }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'Throttling',
      $metadata: { httpStatusCode: 400 },
    });
    await localEcr().faults.add({ operation: 'GetCallerIdentity', nth: 1, error: 'AccessDeniedException' });
    await expect(stsClientFor(localEcr()).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403, attempts: 1 },
    });
    await localEcr().faults.add({ operation: 'GetCallerIdentity', nth: 1, error: 'ThrottlingException' });
    expect((await stsClientFor(localEcr()).send(new GetCallerIdentityCommand({}))).$metadata.attempts).toBe(2);
  });

  it('delays an operation by delayMs', async () => {
    await localEcr().faults.add({ operation: 'ListImages', nth: 1, delayMs: 1200 });
    const started = Date.now();
    await ecr.send(new ListImagesCommand({ repositoryName: 'faults/app' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1200);
  });

  it('never answers a black-holed operation: the client times out, and it answers again once cleared', async () => {
    await localEcr().faults.add({ operation: 'DescribeImages', blackHole: true });
    const impatient = ecrClientFor(localEcr(), { maxAttempts: 1, requestHandler: { requestTimeout: 1500, throwOnRequestTimeout: true } });
    await expect(impatient.send(new DescribeImagesCommand({ repositoryName: 'faults/app' }))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect((await localEcr().faults.list())[0]).toMatchObject({ fired: 1 });
    await localEcr().faults.clear();
    await expect(impatient.send(new DescribeImagesCommand({ repositoryName: 'faults/app' }))).resolves.toHaveProperty('imageDetails');
  });

  it('hides a newly written tag from DescribeImages, ListImages and BatchGetImage for hideTagMs, then shows it', async () => {
    const old = await pushTinyImage(localEcr(), 'faults/app', 'v1', 'lag-old');
    const fresh = await pushTinyImage(localEcr(), 'faults/app', undefined, 'lag-new');
    await localEcr().faults.add({ operation: 'PutImage', hideTagMs: 2500 });
    const written = Date.now();
    await ecr.send(new PutImageCommand({ repositoryName: 'faults/app', imageTag: 'v1', imageManifest: fresh.manifest }));
    await ecr.send(new PutImageCommand({ repositoryName: 'faults/app', imageTag: 'brand-new', imageManifest: fresh.manifest }));
    const seen = async (tag: string) =>
      (await ecr.send(new DescribeImagesCommand({ repositoryName: 'faults/app', imageIds: [{ imageTag: tag }] }))).imageDetails?.[0]
        ?.imageDigest;
    expect(await seen('v1')).toBe(old.digest);
    await expect(seen('brand-new')).rejects.toBeInstanceOf(ImageNotFoundException);
    const got = await ecr.send(
      new BatchGetImageCommand({ repositoryName: 'faults/app', imageIds: [{ imageTag: 'v1' }, { imageTag: 'brand-new' }] }),
    );
    expect(got.images?.map((i) => i.imageId?.imageDigest)).toEqual([old.digest]);
    expect(got.failures?.map((f) => f.imageId?.imageTag)).toEqual(['brand-new']);
    const listed = await ecr.send(new ListImagesCommand({ repositoryName: 'faults/app' }));
    expect(listed.imageIds).toContainEqual({ imageDigest: old.digest, imageTag: 'v1' });
    expect(Date.now() - written).toBeLessThan(2500);
    await sleep(2600 - (Date.now() - written));
    expect(await seen('v1')).toBe(fresh.digest);
    expect(await seen('brand-new')).toBe(fresh.digest);
  });

  it('resets the connection in the middle of a docker push layer upload: docker retries and the push completes', async () => {
    const dockerConfig = mkdtempSync(join(tmpdir(), 'docker-config-'));
    const ref = `${localEcr().registryHost}/faults/reset:v1`;
    try {
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'faults/reset' }));
      dockerLoginTo(localEcr(), dockerConfig);
      await localEcr().faults.add({ operation: 'registry:UploadLayerPart', nth: 1, resetAfterBytes: 4096 });
      expect(sh('docker', ['tag', busyboxBase, ref]).status).toBe(0);
      const push = sh('docker', ['push', ref], { env: { ...process.env, DOCKER_CONFIG: dockerConfig } });
      expect(push.status).toBe(0);
      expect(push.stdout).toMatch(/Retrying in \d+ seconds?/);
      expect((await localEcr().faults.list())[0]).toMatchObject({ fired: 1 });
      const described = await ecr.send(new DescribeImagesCommand({ repositoryName: 'faults/reset', imageIds: [{ imageTag: 'v1' }] }));
      expect(described.imageDetails?.[0]?.imageDigest).toBe(/digest: (sha256:[0-9a-f]{64})/.exec(push.stdout)?.[1]);
    } finally {
      sh('docker', ['image', 'rm', ref]);
      rmSync(dockerConfig, { recursive: true, force: true });
    }
  });
});
