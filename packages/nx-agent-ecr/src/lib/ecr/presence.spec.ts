// presence: exact ECR calls, the lookup order (target, then promote-from), and what counts as "absent".
import { BatchGetImageCommand, DescribeImagesCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import 'aws-sdk-client-mock-jest';
import { awsError, mockedEcr } from '../aws/test-support';
import { presenceLookup } from './presence';

const CONTENT = 'content-0123456789abcdef01234567';
const uri = (name: string) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}`;
const query = { repositoryName: 'shop-prod-agent', promoteFromRepository: 'shop-dev-agent', contentTag: CONTENT };

function setup(holders: Record<string, string>) {
  const { mock, ecr } = mockedEcr();
  mock.on(DescribeImagesCommand).callsFake(({ repositoryName }: { repositoryName: string }) => {
    const digest = holders[repositoryName];
    if (!digest) throw awsError(repositoryName.includes('missing') ? 'RepositoryNotFoundException' : 'ImageNotFoundException');
    return { imageDetails: [{ imageDigest: digest, imageTags: [CONTENT] }] };
  });
  mock.on(DescribeRepositoriesCommand).callsFake(({ repositoryNames }: { repositoryNames: string[] }) => ({
    repositories: repositoryNames.map((repositoryName) => ({ repositoryName, repositoryUri: uri(repositoryName) })),
  }));
  return { mock, lookup: presenceLookup(ecr) };
}

describe('presenceLookup', () => {
  it('finds the content in this repository, with the URI ECR reports', async () => {
    const { lookup } = setup({ 'shop-prod-agent': 'sha256:p' });
    await expect(lookup.locate(query)).resolves.toEqual({
      where: 'this-repository',
      image: expect.objectContaining({ repositoryName: 'shop-prod-agent', digest: 'sha256:p', repositoryUri: uri('shop-prod-agent') }),
    });
  });

  it("finds it in another environment's repository when the target lacks it", async () => {
    const { lookup, mock } = setup({ 'shop-dev-agent': 'sha256:d' });
    await expect(lookup.locate(query)).resolves.toMatchObject({
      where: 'other-environment',
      image: { repositoryName: 'shop-dev-agent', digest: 'sha256:d' },
    });
    expect(mock).toHaveReceivedCommandWith(DescribeImagesCommand, { repositoryName: 'shop-prod-agent', imageIds: [{ imageTag: CONTENT }] });
    expect(mock).toHaveReceivedCommandWith(DescribeImagesCommand, { repositoryName: 'shop-dev-agent', imageIds: [{ imageTag: CONTENT }] });
  });

  it('is nowhere when neither holds it, also when a repository does not exist yet, and asks for no URI', async () => {
    const { lookup, mock } = setup({});
    await expect(lookup.locate({ ...query, repositoryName: 'shop-missing-agent' })).resolves.toEqual({ where: 'nowhere' });
    expect(mock).toHaveReceivedCommandTimes(DescribeRepositoriesCommand, 0);
  });

  it('does not look at another environment when promotion is off', async () => {
    const { lookup, mock } = setup({ 'shop-dev-agent': 'sha256:d' });
    await expect(lookup.locate({ ...query, promoteFromRepository: undefined })).resolves.toEqual({ where: 'nowhere' });
    expect(mock).toHaveReceivedCommandTimes(DescribeImagesCommand, 1);
  });

  it('uses the URI the caller already knows instead of describing the repository again', async () => {
    const { lookup, mock } = setup({ 'shop-prod-agent': 'sha256:p' });
    await expect(lookup.locate({ ...query, repositoryUri: 'known/uri' })).resolves.toMatchObject({ image: { repositoryUri: 'known/uri' } });
    expect(mock).toHaveReceivedCommandTimes(DescribeRepositoriesCommand, 0);
  });

  it('throws anything but "absent", naming the IAM action for AccessDenied', async () => {
    const { mock, ecr } = mockedEcr();
    mock.on(DescribeImagesCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    await expect(presenceLookup(ecr).locate(query)).rejects.toThrow(
      /needs IAM permission "ecr:DescribeImages" on repository shop-prod-agent/,
    );
  });
});

describe('presenceLookup.locateAll (the run planner asks for every task at once)', () => {
  const queries = ['a', 'b', 'c'].map((name) => ({ repositoryName: `shop-dev-${name}`, contentTag: CONTENT }));

  it('asks one lookup per repository, and a later locate of the same query asks nothing', async () => {
    const { lookup, mock } = setup({ 'shop-dev-a': 'sha256:a', 'shop-dev-c': 'sha256:c' });
    const answers = await lookup.locateAll(queries);
    expect(answers.map((answer) => answer.where)).toEqual(['this-repository', 'nowhere', 'this-repository']);
    expect(mock).toHaveReceivedCommandTimes(DescribeImagesCommand, 3);
    expect(mock).toHaveReceivedCommandTimes(DescribeRepositoriesCommand, 1);
    await expect(lookup.locate(queries[2]!)).resolves.toMatchObject({ image: { digest: 'sha256:c' } });
    expect(mock).toHaveReceivedCommandTimes(DescribeImagesCommand, 3);
  });

  it('several content tags in one repository: one BatchGetImage, then one DescribeImages of the digests found', async () => {
    const { mock, ecr } = mockedEcr();
    mock.on(BatchGetImageCommand).resolves({
      images: [{ imageId: { imageTag: 'content-1', imageDigest: 'sha256:one' } }],
      failures: [{ imageId: { imageTag: 'content-2' }, failureCode: 'ImageNotFound' }],
    });
    mock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: 'sha256:one', imageTags: ['content-1', 'latest'] }] });
    const lookup = presenceLookup(ecr);
    const both = ['content-1', 'content-2'].map((contentTag) => ({ repositoryName: 'shared', contentTag, repositoryUri: 'host/shared' }));
    await expect(lookup.locateAll(both)).resolves.toEqual([
      { where: 'this-repository', image: expect.objectContaining({ digest: 'sha256:one', tags: ['content-1', 'latest'] }) },
      { where: 'nowhere' },
    ]);
    expect(mock).toHaveReceivedCommandWith(BatchGetImageCommand, {
      repositoryName: 'shared',
      imageIds: [{ imageTag: 'content-1' }, { imageTag: 'content-2' }],
    });
    expect(mock).toHaveReceivedCommandWith(DescribeImagesCommand, { repositoryName: 'shared', imageIds: [{ imageDigest: 'sha256:one' }] });
    expect(mock.calls()).toHaveLength(2);
  });

  it('a failed lookup reaches every query that asked it, also one asked later, without an unhandled rejection', async () => {
    const { mock, ecr } = mockedEcr();
    mock.on(DescribeImagesCommand).rejects(awsError('ThrottlingException', 'slow down'));
    const lookup = presenceLookup(ecr);
    const planned = lookup.locateAll(queries).catch((error: Error) => error.message);
    await expect(planned).resolves.toMatch(/slow down/);
    await expect(lookup.locate(queries[1]!)).rejects.toThrow(/slow down/);
    expect(mock).toHaveReceivedCommandTimes(DescribeImagesCommand, 3);
  });
});
