// ECR images: exact commands and inputs for find, retag and verify, and each ECR error's meaning.
import { BatchGetImageCommand, DescribeImagesCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import 'aws-sdk-client-mock-jest';
import { findImageByTag, MANIFEST_MEDIA_TYPES, retag, TagMoveError } from './images';
import { awsError, mockedEcr } from '../aws/test-support';

const digest = 'sha256:aaa';

let { mock, ecr } = mockedEcr();
beforeEach(() => ({ mock, ecr } = mockedEcr()));

describe('findImageByTag', () => {
  it('returns the image when DescribeImages succeeds', async () => {
    mock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: digest, imageTags: ['content-1'], imageSizeInBytes: 42 }] });
    await expect(findImageByTag(ecr, 'r', 'content-1')).resolves.toMatchObject({ digest, tags: ['content-1'], sizeBytes: 42 });
    expect(mock).toHaveReceivedCommandWith(DescribeImagesCommand, { repositoryName: 'r', imageIds: [{ imageTag: 'content-1' }] });
  });

  test.each(['ImageNotFoundException', 'RepositoryNotFoundException'])('treats %s as absent', async (name) => {
    mock.on(DescribeImagesCommand).rejects(awsError(name));
    await expect(findImageByTag(ecr, 'r', 'content-1')).resolves.toBeUndefined();
  });

  it('rethrows anything else (ExpiredTokenException)', async () => {
    mock.on(DescribeImagesCommand).rejects(awsError('ExpiredTokenException', 'The security token included in the request is expired'));
    await expect(findImageByTag(ecr, 'r', 'content-1')).rejects.toMatchObject({ name: 'ExpiredTokenException' });
  });
});

describe('retag', () => {
  const manifest = '{"schemaVersion":2}';
  beforeEach(() => {
    mock
      .on(DescribeImagesCommand, { imageIds: [{ imageDigest: digest }] })
      .resolves({ imageDetails: [{ imageDigest: digest, imageTags: ['content-1', 'latest'] }] });
    mock.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: manifest, imageManifestMediaType: MANIFEST_MEDIA_TYPES[0] }] });
  });

  it('puts the stored manifest under every tag the digest lacks, and only those', async () => {
    mock.on(PutImageCommand).resolves({});
    await expect(retag(ecr, 'r', digest, ['latest', 'abc1234'])).resolves.toEqual(['abc1234']);
    expect(mock).toHaveReceivedCommandWith(BatchGetImageCommand, {
      repositoryName: 'r',
      imageIds: [{ imageDigest: digest }],
      acceptedMediaTypes: MANIFEST_MEDIA_TYPES,
    });
    expect(mock).toHaveReceivedCommandTimes(PutImageCommand, 1);
    expect(mock).toHaveReceivedCommandWith(PutImageCommand, {
      repositoryName: 'r',
      imageManifest: manifest,
      imageManifestMediaType: MANIFEST_MEDIA_TYPES[0],
      imageDigest: digest,
      imageTag: 'abc1234',
    });
  });

  it('moves nothing and reads no manifest when every tag is already there', async () => {
    await expect(retag(ecr, 'r', digest, ['latest'])).resolves.toEqual([]);
    expect(mock).not.toHaveReceivedCommand(BatchGetImageCommand);
    expect(mock).not.toHaveReceivedCommand(PutImageCommand);
  });

  it('treats ImageAlreadyExistsException as done', async () => {
    mock.on(PutImageCommand).rejects(awsError('ImageAlreadyExistsException'));
    await expect(retag(ecr, 'r', digest, ['abc1234'])).resolves.toEqual(['abc1234']);
  });

  it('accepts ImageTagAlreadyExistsException in an immutable repository when the tag is on the same digest', async () => {
    mock.on(PutImageCommand).rejects(awsError('ImageTagAlreadyExistsException'));
    mock.on(DescribeImagesCommand, { imageIds: [{ imageTag: 'abc1234' }] }).resolves({ imageDetails: [{ imageDigest: digest }] });
    await expect(retag(ecr, 'r', digest, ['abc1234'])).resolves.toEqual(['abc1234']);
  });

  it('fails clearly on ImageTagAlreadyExistsException when the tag is on another digest', async () => {
    mock.on(PutImageCommand).rejects(awsError('ImageTagAlreadyExistsException'));
    mock.on(DescribeImagesCommand, { imageIds: [{ imageTag: 'abc1234' }] }).resolves({ imageDetails: [{ imageDigest: 'sha256:other' }] });
    await expect(retag(ecr, 'r', digest, ['abc1234'])).rejects.toThrow(
      'Tag abc1234 in immutable repository r already points to sha256:other, not sha256:aaa.',
    );
  });

  it('moves tags in the order given and stops at the first it cannot move, naming what moved and what did not', async () => {
    mock.on(PutImageCommand).resolves({});
    mock.on(PutImageCommand, { imageTag: 'b' }).rejects(awsError('ServerException', 'internal error'));
    const moved: string[] = [];
    const error = await retag(ecr, 'r', digest, ['a', 'b', 'c'], { onMoved: (tag) => moved.push(tag) }).catch((e: unknown) => e);
    expect(moved).toEqual(['a']);
    expect(error).toBeInstanceOf(TagMoveError);
    expect(error).toMatchObject({ moved: ['a'], notMoved: ['b', 'c'] });
    expect((error as Error).message).toBe(
      'Moving tag b in r to sha256:aaa failed (internal error). Moved: a; not moved: b, c. ' +
        'Run the same command again: it moves only the tags that are missing.',
    );
    expect(mock).not.toHaveReceivedCommandWith(PutImageCommand, { imageTag: 'c' });
  });

  it('names ecr:PutImage when PutImage is denied', async () => {
    mock.on(PutImageCommand).rejects(awsError('AccessDeniedException'));
    await expect(retag(ecr, 'r', digest, ['abc1234'])).rejects.toThrow('"ecr:PutImage"');
  });
});
