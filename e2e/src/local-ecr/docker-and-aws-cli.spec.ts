// local-ecr against independent clients: the AWS CLI (v1) and the Docker client (login, push, pull).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetImageCommand, CreateRepositoryCommand, DescribeImagesCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { sh, type Completed } from '../support/docker';
import { ecrClientFor, pushTinyImage, startTestLocalEcr, type LocalEcr } from '../support/local-ecr';
import { busyboxBase } from '../support/toolchain';

describe('local-ecr with the AWS CLI and the Docker client', () => {
  let ecr: LocalEcr;
  let stateDir: string;
  let dockerConfig: string;
  const localRefs = new Set<string>();

  const env = () => ({ ...process.env, ...ecr.env, DOCKER_CONFIG: dockerConfig });
  const aws = (...args: string[]) => sh('aws', [...args, '--output', 'json'], { env: env() });
  const docker = (...args: string[]) => sh('docker', args, { env: env() });
  const ok = (result: Completed) => {
    if (result.status !== 0) throw new Error(`command failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  const login = () =>
    sh('bash', ['-c', 'aws ecr get-login-password | docker login --username AWS --password-stdin "$REGISTRY_HOST"'], {
      env: { ...env(), REGISTRY_HOST: ecr.registryHost },
    });
  const tagBusybox = (repositoryAndTag: string) => {
    const ref = `${ecr.registryHost}/${repositoryAndTag}`;
    ok(docker('tag', busyboxBase, ref));
    localRefs.add(ref);
    return ref;
  };

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'local-ecr-clients-'));
    dockerConfig = mkdtempSync(join(tmpdir(), 'docker-config-'));
    ecr = await startTestLocalEcr({ stateDir });
    ok(sh('docker', ['pull', '--quiet', busyboxBase]));
  });
  afterAll(async () => {
    await ecr?.stop();
    for (const ref of localRefs) sh('docker', ['image', 'rm', '--force', ref]);
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(dockerConfig, { recursive: true, force: true });
  });

  it('creates a repository with `aws ecr create-repository` and answers `aws sts get-caller-identity`', () => {
    const created = JSON.parse(ok(aws('ecr', 'create-repository', '--repository-name', 'clients/busybox'))) as {
      repository: { repositoryUri: string };
    };
    expect(created.repository.repositoryUri).toBe(`${ecr.registryHost}/clients/busybox`);
    expect(JSON.parse(ok(aws('sts', 'get-caller-identity')))).toMatchObject({ Account: '000000000000' });
  });

  it('logs docker in with `aws ecr get-login-password | docker login --password-stdin` into the given DOCKER_CONFIG', () => {
    const result = login();
    expect(result.stdout + result.stderr).toContain('Login Succeeded');
  });

  it('takes a docker push, shows it in `aws ecr describe-images`, and counts each uploaded blob and byte', async () => {
    await ecr.resetStats();
    const started = Date.now();
    const push = docker('push', tagBusybox('clients/busybox:v1'));
    expect(push.status).toBe(0);
    const pushedDigest = /digest: (sha256:[0-9a-f]{64})/.exec(push.stdout)?.[1];
    const described = JSON.parse(ok(aws('ecr', 'describe-images', '--repository-name', 'clients/busybox'))) as {
      imageDetails: { imageDigest: string; imageTags: string[]; imageSizeInBytes: number; imagePushedAt: number }[];
    };
    expect(described.imageDetails).toHaveLength(1);
    const detail = described.imageDetails[0]!;
    expect(detail).toMatchObject({ imageDigest: pushedDigest, imageTags: ['v1'] });
    expect(detail.imagePushedAt * 1000).toBeGreaterThanOrEqual(started - 1000);
    const manifest = JSON.parse(
      (await ecrClientFor(ecr).send(new BatchGetImageCommand({ repositoryName: 'clients/busybox', imageIds: [{ imageTag: 'v1' }] })))
        .images![0]!.imageManifest!,
    ) as { config: { size: number }; layers: { size: number }[] };
    const expectedSize = manifest.config.size + manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
    expect(detail.imageSizeInBytes).toBe(expectedSize);
    expect((await ecr.stats()).repositories['clients/busybox']).toEqual({
      blobUploads: manifest.layers.length + 1,
      bytesReceived: expectedSize,
      manifestPuts: 1,
    });
  });

  it('uploads nothing when the same image is pushed again', async () => {
    await ecr.resetStats();
    expect(docker('push', tagBusybox('clients/busybox:v1')).status).toBe(0);
    expect((await ecr.stats()).repositories['clients/busybox']).toMatchObject({ blobUploads: 0, bytesReceived: 0 });
  });

  it('uploads the layers again for another repository (no cross-repository mount, as ECR by default)', async () => {
    ok(aws('ecr', 'create-repository', '--repository-name', 'clients/second'));
    await ecr.resetStats();
    expect(docker('push', tagBusybox('clients/second:v1')).status).toBe(0);
    const [first] = (
      await ecrClientFor(ecr).send(new DescribeImagesCommand({ repositoryName: 'clients/busybox', imageIds: [{ imageTag: 'v1' }] }))
    ).imageDetails!;
    expect((await ecr.stats()).repositories['clients/second']).toMatchObject({ bytesReceived: first!.imageSizeInBytes, manifestPuts: 1 });
  });

  it('mounts the layers instead once the account setting BLOB_MOUNTING is ENABLED (docker still uploads the small config)', async () => {
    const setting = JSON.parse(ok(aws('ecr', 'put-account-setting', '--name', 'BLOB_MOUNTING', '--value', 'ENABLED'))) as object;
    expect(setting).toEqual({ name: 'BLOB_MOUNTING', value: 'ENABLED' });
    ok(aws('ecr', 'create-repository', '--repository-name', 'clients/third'));
    await ecr.resetStats();
    expect(docker('push', tagBusybox('clients/third:v1')).status).toBe(0);
    const got = await ecrClientFor(ecr).send(new BatchGetImageCommand({ repositoryName: 'clients/third', imageIds: [{ imageTag: 'v1' }] }));
    const manifest = JSON.parse(got.images![0]!.imageManifest!) as { config: { size: number } };
    expect((await ecr.stats()).repositories['clients/third']).toEqual({
      blobUploads: 1,
      bytesReceived: manifest.config.size,
      manifestPuts: 1,
    });
    ok(aws('ecr', 'put-account-setting', '--name', 'BLOB_MOUNTING', '--value', 'DISABLED'));
  });

  it('serves a docker pull of what was pushed', () => {
    const ref = `${ecr.registryHost}/clients/busybox:v1`;
    ok(docker('image', 'rm', ref));
    expect(docker('pull', ref).status).toBe(0);
  });

  it('refuses a push to a repository that was never created, as ECR does', () => {
    const push = docker('push', tagBusybox('clients/never-created:v1'));
    expect(push.status).not.toBe(0);
    expect(push.stderr).toContain(
      "name unknown: The repository with name 'clients/never-created' does not exist in the registry with id '000000000000'",
    );
  });

  it('refuses to overwrite a tag of an IMMUTABLE repository', async () => {
    ok(aws('ecr', 'create-repository', '--repository-name', 'clients/immutable', '--image-tag-mutability', 'IMMUTABLE'));
    await pushTinyImage(ecr, 'clients/immutable', 'v1', 'immutable');
    const push = docker('push', tagBusybox('clients/immutable:v1'));
    expect(push.status).not.toBe(0);
    expect(push.stderr).toContain(
      "tag invalid: The image tag 'v1' already exists in the 'clients/immutable' " +
        'repository and cannot be overwritten because the repository is immutable.',
    );
  });

  it('denies a push once the token expired (ECR: 403 "authorization token has expired"), and a new login works', async () => {
    await ecr.expireTokens();
    const denied = docker('push', tagBusybox('clients/busybox:after-expiry'));
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toContain('denied: Your authorization token has expired. Reauthenticate and try again.');
    expect(login().status).toBe(0);
    expect(docker('push', tagBusybox('clients/busybox:after-expiry')).status).toBe(0);
  });

  it('makes a tag moved with PutImage pullable by docker, at the same digest', async () => {
    const client = ecrClientFor(ecr);
    const got = await client.send(new BatchGetImageCommand({ repositoryName: 'clients/busybox', imageIds: [{ imageTag: 'v1' }] }));
    const image = got.images![0]!;
    await client.send(new PutImageCommand({ repositoryName: 'clients/busybox', imageManifest: image.imageManifest!, imageTag: 'moved' }));
    const ref = `${ecr.registryHost}/clients/busybox:moved`;
    localRefs.add(ref);
    expect(docker('pull', ref).status).toBe(0);
    const repoDigests = ok(docker('image', 'inspect', '--format', '{{json .RepoDigests}}', ref));
    expect(repoDigests).toContain(`${ecr.registryHost}/clients/busybox@${image.imageId!.imageDigest}`);
  });

  it('keeps repositories, images and live tokens across a restart on the same state directory and port', async () => {
    const before = await ecrClientFor(ecr).send(new DescribeImagesCommand({ repositoryName: 'clients/busybox' }));
    const port = ecr.port;
    await ecr.stop();
    ecr = await startTestLocalEcr({ stateDir, port });
    const after = await ecrClientFor(ecr).send(new DescribeImagesCommand({ repositoryName: 'clients/busybox' }));
    expect(after.imageDetails).toEqual(before.imageDetails);
    await expect(ecrClientFor(ecr).send(new CreateRepositoryCommand({ repositoryName: 'clients/busybox' }))).rejects.toMatchObject({
      name: 'RepositoryAlreadyExistsException',
    });
    const ref = `${ecr.registryHost}/clients/busybox:v1`;
    ok(docker('image', 'rm', ref));
    expect(docker('pull', ref).status).toBe(0);
  });
});
