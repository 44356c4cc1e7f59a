// local-ecr against the AWS SDK v3 clients: every supported ECR operation, its errors, and STS GetCallerIdentity.
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAccountSettingCommand,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  ImageAlreadyExistsException,
  ImageNotFoundException,
  ImageTagAlreadyExistsException,
  InvalidParameterException,
  LifecyclePolicyNotFoundException,
  ListImagesCommand,
  PutAccountSettingCommand,
  PutImageCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotEmptyException,
  RepositoryNotFoundException,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ecrClientFor, pushTinyImage, stsClientFor, useLocalEcr } from '../support/local-ecr';

describe('local-ecr with the AWS SDK v3 clients', () => {
  const localEcr = useLocalEcr({ tokenTtlSeconds: 3600 });
  let ecr: ECRClient;
  beforeAll(() => {
    ecr = ecrClientFor(localEcr());
  });

  it('answers STS GetCallerIdentity with the dummy account', async () => {
    const identity = await stsClientFor(localEcr()).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:user/local-ecr' });
  });

  it('counts the API calls it answers by operation, STS included, and a reset zeroes them', async () => {
    await localEcr().resetStats();
    await stsClientFor(localEcr()).send(new GetCallerIdentityCommand({}));
    await ecr.send(new DescribeRepositoriesCommand({}));
    await ecr.send(new DescribeRepositoriesCommand({}));
    await expect(ecr.send(new DescribeImagesCommand({ repositoryName: 'sdk/none' }))).rejects.toThrow(RepositoryNotFoundException);
    expect((await localEcr().stats()).calls).toEqual({ 'sts:GetCallerIdentity': 1, DescribeRepositories: 2, DescribeImages: 1 });
    await localEcr().resetStats();
    expect((await localEcr().stats()).calls).toEqual({});
  });

  it('creates a repository with ECR defaults and a repositoryUri on the local address', async () => {
    const before = Date.now();
    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'sdk/created' }));
    expect(repository).toEqual({
      repositoryArn: 'arn:aws:ecr:us-east-1:000000000000:repository/sdk/created',
      registryId: '000000000000',
      repositoryName: 'sdk/created',
      repositoryUri: `${localEcr().registryHost}/sdk/created`,
      createdAt: expect.any(Date),
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: false },
      encryptionConfiguration: { encryptionType: 'AES256' },
    });
    expect(repository!.createdAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('refuses a second repository of the same name and an invalid name, with ECR error names and status 400', async () => {
    const again = ecr.send(new CreateRepositoryCommand({ repositoryName: 'sdk/created' }));
    await expect(again).rejects.toBeInstanceOf(RepositoryAlreadyExistsException);
    await expect(again).rejects.toMatchObject({
      $metadata: { httpStatusCode: 400 },
      message: expect.stringContaining("'sdk/created' already exists"),
    });
    await expect(ecr.send(new CreateRepositoryCommand({ repositoryName: 'Bad_Name' }))).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('describes repositories by name, pages them, and names the missing one', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'sdk/second' }));
    const byName = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['sdk/second'] }));
    expect(byName.repositories?.map((r) => r.repositoryName)).toEqual(['sdk/second']);
    const first = await ecr.send(new DescribeRepositoriesCommand({ maxResults: 1 }));
    expect(first.repositories).toHaveLength(1);
    const rest = await ecr.send(new DescribeRepositoriesCommand({ maxResults: 1, nextToken: first.nextToken! }));
    expect(rest.repositories?.[0]?.repositoryName).not.toBe(first.repositories?.[0]?.repositoryName);
    const missing = ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['sdk/none'] }));
    await expect(missing).rejects.toBeInstanceOf(RepositoryNotFoundException);
    await expect(missing).rejects.toMatchObject({
      message: "The repository with name 'sdk/none' does not exist in the registry with id '000000000000'",
    });
  });

  it('hands out a token "AWS:<password>" for the local proxyEndpoint that expires after tokenTtlSeconds', async () => {
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    const data = authorizationData![0]!;
    expect(Buffer.from(data.authorizationToken!, 'base64').toString()).toMatch(/^AWS:.{32,}$/);
    expect(data.proxyEndpoint).toBe(localEcr().endpoint);
    expect(data.expiresAt!.getTime() - Date.now()).toBeGreaterThan(3590 * 1000);
    expect(data.expiresAt!.getTime() - Date.now()).toBeLessThanOrEqual(3600 * 1000);
  });

  describe('images', () => {
    beforeAll(async () => {
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'sdk/images' }));
      await localEcr().resetStats();
    });

    it('describes a pushed image with its digest, tags, size, push time and media types; counts its uploads', async () => {
      const image = await pushTinyImage(localEcr(), 'sdk/images', 'v1', 'one');
      const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: 'sdk/images', imageIds: [{ imageTag: 'v1' }] }));
      expect(imageDetails).toEqual([
        {
          registryId: '000000000000',
          repositoryName: 'sdk/images',
          imageDigest: image.digest,
          imageTags: ['v1'],
          imageSizeInBytes: image.sizeInBytes,
          imagePushedAt: expect.any(Date),
          imageManifestMediaType: image.mediaType,
          artifactMediaType: 'application/vnd.oci.image.config.v1+json',
        },
      ]);
      expect((await localEcr().stats()).repositories['sdk/images']).toEqual({
        blobUploads: 2,
        bytesReceived: image.sizeInBytes,
        manifestPuts: 1,
      });
    });

    it('raises ImageNotFoundException for a tag it does not hold, naming it as ECR does', async () => {
      const missing = ecr.send(new DescribeImagesCommand({ repositoryName: 'sdk/images', imageIds: [{ imageTag: 'nope' }] }));
      await expect(missing).rejects.toBeInstanceOf(ImageNotFoundException);
      await expect(missing).rejects.toMatchObject({
        message:
          "The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within " +
          "the repository with name 'sdk/images' in the registry with id '000000000000'",
      });
    });

    it('lists image ids and filters by tag status', async () => {
      const untagged = await pushTinyImage(localEcr(), 'sdk/images', undefined, 'untagged');
      const all = await ecr.send(new ListImagesCommand({ repositoryName: 'sdk/images' }));
      expect(all.imageIds).toEqual(expect.arrayContaining([{ imageDigest: untagged.digest }, expect.objectContaining({ imageTag: 'v1' })]));
      const onlyUntagged = await ecr.send(new DescribeImagesCommand({ repositoryName: 'sdk/images', filter: { tagStatus: 'UNTAGGED' } }));
      expect(onlyUntagged.imageDetails?.map((d) => d.imageDigest)).toEqual([untagged.digest]);
    });

    it('returns the exact manifest with BatchGetImage and reports missing ids as failures', async () => {
      const image = await pushTinyImage(localEcr(), 'sdk/images', 'get-me', 'get');
      const answer = await ecr.send(
        new BatchGetImageCommand({ repositoryName: 'sdk/images', imageIds: [{ imageTag: 'get-me' }, { imageTag: 'absent' }] }),
      );
      expect(answer.images).toEqual([
        {
          registryId: '000000000000',
          repositoryName: 'sdk/images',
          imageId: { imageDigest: image.digest, imageTag: 'get-me' },
          imageManifest: image.manifest,
          imageManifestMediaType: image.mediaType,
        },
      ]);
      expect(answer.failures).toEqual([
        { imageId: { imageTag: 'absent' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
      ]);
    });

    it('moves a tag with PutImage without uploading a blob, and refuses to put the same tag and digest again', async () => {
      const image = await pushTinyImage(localEcr(), 'sdk/images', 'source', 'retag');
      await localEcr().resetStats();
      const put = await ecr.send(
        new PutImageCommand({
          repositoryName: 'sdk/images',
          imageManifest: image.manifest,
          imageTag: 'prod',
          imageManifestMediaType: image.mediaType,
        }),
      );
      expect(put.image?.imageId).toEqual({ imageDigest: image.digest, imageTag: 'prod' });
      const described = await ecr.send(
        new DescribeImagesCommand({ repositoryName: 'sdk/images', imageIds: [{ imageDigest: image.digest }] }),
      );
      expect(described.imageDetails?.[0]?.imageTags?.sort()).toEqual(['prod', 'source']);
      expect((await localEcr().stats()).repositories['sdk/images']).toMatchObject({ blobUploads: 0, bytesReceived: 0, manifestPuts: 1 });
      const again = ecr.send(new PutImageCommand({ repositoryName: 'sdk/images', imageManifest: image.manifest, imageTag: 'prod' }));
      await expect(again).rejects.toBeInstanceOf(ImageAlreadyExistsException);
    });

    it('refuses a manifest whose layers were never uploaded (LayersNotFoundException)', async () => {
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'0'.repeat(64)}`, size: 2 },
        layers: [],
      });
      await expect(
        ecr.send(new PutImageCommand({ repositoryName: 'sdk/images', imageManifest: manifest, imageTag: 'broken' })),
      ).rejects.toMatchObject({
        name: 'LayersNotFoundException',
      });
    });

    it('enforces tag immutability on PutImage once the repository is IMMUTABLE', async () => {
      const moved = await pushTinyImage(localEcr(), 'sdk/images', undefined, 'immutable');
      const setting = await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'sdk/images', imageTagMutability: 'IMMUTABLE' }));
      expect(setting).toMatchObject({ repositoryName: 'sdk/images', imageTagMutability: 'IMMUTABLE' });
      const overwrite = ecr.send(new PutImageCommand({ repositoryName: 'sdk/images', imageManifest: moved.manifest, imageTag: 'v1' }));
      await expect(overwrite).rejects.toBeInstanceOf(ImageTagAlreadyExistsException);
      await expect(overwrite).rejects.toMatchObject({
        message:
          "The image tag 'v1' already exists in the 'sdk/images' repository and cannot be overwritten because the repository is immutable.",
      });
      await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'sdk/images', imageTagMutability: 'MUTABLE' }));
    });

    it('deletes a tag (the image keeps its other tags) and an image by digest; reports unknown ids as failures', async () => {
      const image = await pushTinyImage(localEcr(), 'sdk/images', 'keep', 'delete');
      await ecr.send(new PutImageCommand({ repositoryName: 'sdk/images', imageManifest: image.manifest, imageTag: 'drop' }));
      const untag = await ecr.send(
        new BatchDeleteImageCommand({ repositoryName: 'sdk/images', imageIds: [{ imageTag: 'drop' }, { imageTag: 'ghost' }] }),
      );
      expect(untag.imageIds).toEqual([{ imageDigest: image.digest, imageTag: 'drop' }]);
      expect(untag.failures).toEqual([
        { imageId: { imageTag: 'ghost' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
      ]);
      const kept = await ecr.send(new DescribeImagesCommand({ repositoryName: 'sdk/images', imageIds: [{ imageDigest: image.digest }] }));
      expect(kept.imageDetails?.[0]?.imageTags).toEqual(['keep']);
      await ecr.send(new BatchDeleteImageCommand({ repositoryName: 'sdk/images', imageIds: [{ imageDigest: image.digest }] }));
      await expect(
        ecr.send(new DescribeImagesCommand({ repositoryName: 'sdk/images', imageIds: [{ imageTag: 'keep' }] })),
      ).rejects.toBeInstanceOf(ImageNotFoundException);
    });
  });

  it('keeps ECR account settings: BLOB_MOUNTING is DISABLED until PutAccountSetting enables it', async () => {
    expect(await ecr.send(new GetAccountSettingCommand({ name: 'BLOB_MOUNTING' }))).toMatchObject({
      name: 'BLOB_MOUNTING',
      value: 'DISABLED',
    });
    await ecr.send(new PutAccountSettingCommand({ name: 'BLOB_MOUNTING', value: 'ENABLED' }));
    expect(await ecr.send(new GetAccountSettingCommand({ name: 'BLOB_MOUNTING' }))).toMatchObject({ value: 'ENABLED' });
    await expect(ecr.send(new PutAccountSettingCommand({ name: 'BLOB_MOUNTING', value: 'yes' }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await ecr.send(new PutAccountSettingCommand({ name: 'BLOB_MOUNTING', value: 'DISABLED' }));
  });

  it('stores scanning and mutability settings and shows them in DescribeRepositories', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'sdk/settings' }));
    const scanning = await ecr.send(
      new PutImageScanningConfigurationCommand({ repositoryName: 'sdk/settings', imageScanningConfiguration: { scanOnPush: true } }),
    );
    expect(scanning).toMatchObject({
      registryId: '000000000000',
      repositoryName: 'sdk/settings',
      imageScanningConfiguration: { scanOnPush: true },
    });
    await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'sdk/settings', imageTagMutability: 'IMMUTABLE' }));
    const { repositories } = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['sdk/settings'] }));
    expect(repositories?.[0]).toMatchObject({ imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
  });

  it('stores a lifecycle policy, refuses an invalid one, and raises LifecyclePolicyNotFoundException before any', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'sdk/lifecycle' }));
    await expect(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'sdk/lifecycle' }))).rejects.toBeInstanceOf(
      LifecyclePolicyNotFoundException,
    );
    await expect(
      ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'sdk/lifecycle', lifecyclePolicyText: '{"rules":[]}' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const policy = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 },
          action: { type: 'expire' },
        },
      ],
    });
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'sdk/lifecycle', lifecyclePolicyText: policy }));
    const stored = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'sdk/lifecycle' }));
    expect(stored).toMatchObject({ registryId: '000000000000', repositoryName: 'sdk/lifecycle', lifecyclePolicyText: policy });
  });

  it('refuses to delete a repository that holds images unless forced, then forgets it', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'sdk/doomed' }));
    await pushTinyImage(localEcr(), 'sdk/doomed', 'v1', 'doomed');
    await expect(ecr.send(new DeleteRepositoryCommand({ repositoryName: 'sdk/doomed' }))).rejects.toBeInstanceOf(
      RepositoryNotEmptyException,
    );
    const deleted = await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'sdk/doomed', force: true }));
    expect(deleted.repository?.repositoryName).toBe('sdk/doomed');
    await expect(ecr.send(new DescribeImagesCommand({ repositoryName: 'sdk/doomed' }))).rejects.toBeInstanceOf(RepositoryNotFoundException);
    await expect(pushTinyImage(localEcr(), 'sdk/doomed', 'v1', 'doomed')).rejects.toThrow(/404.*NAME_UNKNOWN/s);
  });
});
