// ECR repositories: exact commands and inputs for describe/create, drift, and each ECR error's meaning.
import { CreateRepositoryCommand, DescribeRepositoriesCommand, PutLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import 'aws-sdk-client-mock-jest';
import { describeRepositories, ensureRepository, repositoryDrift, type RepositorySettings } from './repository';
import { awsError, mockedEcr } from '../aws/test-support';

const settings: RepositorySettings = {
  repositoryName: 'shop-dev-agent',
  scanOnPush: true,
  encryption: 'AES256',
  mutability: { mutability: 'MUTABLE', exclusionFilters: [] },
  tags: { team: 'agents' },
  lifecyclePolicyText: '{"rules":[]}',
};
const repo = { repositoryName: 'shop-dev-agent', repositoryUri: '1.dkr.ecr.us-east-1.amazonaws.com/shop-dev-agent', registryId: '1' };

let { mock, ecr } = mockedEcr();
beforeEach(() => ({ mock, ecr } = mockedEcr()));

describe('ensureRepository', () => {
  it('returns an existing repository without creating it', async () => {
    mock
      .on(DescribeRepositoriesCommand)
      .resolves({ repositories: [{ ...repo, imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'MUTABLE' }] });
    await expect(ensureRepository(ecr, settings)).resolves.toEqual({ ...repo, created: false, drift: [] });
    expect(mock).toHaveReceivedCommandWith(DescribeRepositoriesCommand, { repositoryNames: ['shop-dev-agent'] });
    expect(mock).not.toHaveReceivedCommand(CreateRepositoryCommand);
  });

  it('creates a missing repository (RepositoryNotFoundException) with every setting, then its lifecycle policy', async () => {
    mock.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'));
    mock.on(CreateRepositoryCommand).resolves({ repository: repo });
    mock.on(PutLifecyclePolicyCommand).resolves({});
    await expect(ensureRepository(ecr, settings)).resolves.toMatchObject({ created: true, repositoryUri: repo.repositoryUri });
    expect(mock).toHaveReceivedCommandWith(CreateRepositoryCommand, {
      repositoryName: 'shop-dev-agent',
      imageScanningConfiguration: { scanOnPush: true },
      imageTagMutability: 'MUTABLE',
      encryptionConfiguration: { encryptionType: 'AES256' },
      tags: [{ Key: 'team', Value: 'agents' }],
    });
    expect(mock).toHaveReceivedCommandWith(PutLifecyclePolicyCommand, {
      repositoryName: 'shop-dev-agent',
      lifecyclePolicyText: '{"rules":[]}',
    });
  });

  it('passes KMS encryption with its key', async () => {
    mock.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'));
    mock.on(CreateRepositoryCommand).resolves({ repository: repo });
    await ensureRepository(ecr, { ...settings, encryption: 'KMS', kmsKey: 'alias/ecr', lifecyclePolicyText: undefined });
    expect(mock).toHaveReceivedCommandWith(CreateRepositoryCommand, {
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/ecr' },
    });
    expect(mock).not.toHaveReceivedCommand(PutLifecyclePolicyCommand);
  });

  it('treats RepositoryAlreadyExistsException from a concurrent creator as success', async () => {
    mock
      .on(DescribeRepositoriesCommand)
      .rejectsOnce(awsError('RepositoryNotFoundException'))
      .resolves({ repositories: [repo] });
    mock.on(CreateRepositoryCommand).rejects(awsError('RepositoryAlreadyExistsException'));
    await expect(ensureRepository(ecr, settings)).resolves.toMatchObject({ created: false, repositoryUri: repo.repositoryUri });
    expect(mock).toHaveReceivedCommandTimes(DescribeRepositoriesCommand, 2);
  });

  it('names the missing IAM action when DescribeRepositories is denied', async () => {
    mock.on(DescribeRepositoriesCommand).rejects(awsError('AccessDeniedException', 'User: arn:aws:iam::1:user/ci is not authorized'));
    await expect(ensureRepository(ecr, settings)).rejects.toThrow(
      'Access denied: the role needs IAM permission "ecr:DescribeRepositories"',
    );
  });

  it('names the missing IAM action when CreateRepository is denied', async () => {
    mock.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'));
    mock.on(CreateRepositoryCommand).rejects(awsError('AccessDeniedException', 'User: arn:aws:iam::1:user/ci is not authorized'));
    await expect(ensureRepository(ecr, settings)).rejects.toThrow('Access denied: the role needs IAM permission "ecr:CreateRepository"');
  });
});

describe('tag mutability with exclusion filters', () => {
  it("creates IMMUTABLE_WITH_EXCLUSION with ECR's wildcard filters", async () => {
    mock.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'));
    mock.on(CreateRepositoryCommand).resolves({ repository: repo });
    mock.on(PutLifecyclePolicyCommand).resolves({});
    await ensureRepository(ecr, { ...settings, mutability: { mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest'] } });
    expect(mock).toHaveReceivedCommandWith(CreateRepositoryCommand, {
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }],
    });
  });

  test.each<[string, string, string[], string[]]>([
    ['the same settings, filters in another order', 'IMMUTABLE_WITH_EXCLUSION', ['v*', 'latest'], []],
    [
      'other filters',
      'IMMUTABLE_WITH_EXCLUSION',
      ['dev-*'],
      ['imageTagMutability is IMMUTABLE_WITH_EXCLUSION [dev-*], options ask for IMMUTABLE_WITH_EXCLUSION [latest, v*]'],
    ],
    ['no exclusions', 'IMMUTABLE', [], ['imageTagMutability is IMMUTABLE, options ask for IMMUTABLE_WITH_EXCLUSION [latest, v*]']],
  ])('drift report: %s', (_name, mutability, filters, expected) => {
    const existing = {
      ...repo,
      imageScanningConfiguration: { scanOnPush: true },
      imageTagMutability: mutability as 'IMMUTABLE',
      imageTagMutabilityExclusionFilters: filters.map((filter) => ({ filterType: 'WILDCARD' as const, filter })),
    };
    const want = { ...settings, mutability: { mutability: 'IMMUTABLE_WITH_EXCLUSION' as const, exclusionFilters: ['latest', 'v*'] } };
    expect(repositoryDrift(existing, want)).toEqual(expected);
  });
});

describe('repositoryDrift', () => {
  it('reports every setting that differs from the options, one line each', () => {
    const drift = repositoryDrift(
      {
        ...repo,
        imageScanningConfiguration: { scanOnPush: false },
        imageTagMutability: 'IMMUTABLE',
        encryptionConfiguration: { encryptionType: 'KMS' },
      },
      settings,
    );
    expect(drift).toEqual([
      'scanOnPush is false, options ask for true',
      'imageTagMutability is IMMUTABLE, options ask for MUTABLE',
      'encryption is KMS, options ask for AES256',
    ]);
  });
});

describe('describeRepositories', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `svc-${i}`);
  const answer = ({ repositoryNames }: { repositoryNames: string[] }) => ({
    repositories: repositoryNames.map((repositoryName) => ({ repositoryName, repositoryUri: `host/${repositoryName}` })),
  });
  const asked = () => mock.commandCalls(DescribeRepositoriesCommand).map((call) => call.args[0].input.repositoryNames);

  it('names up to 100 repositories per DescribeRepositories call (ECR limit), each name once', async () => {
    mock.on(DescribeRepositoriesCommand).callsFake(answer);
    const found = await describeRepositories(ecr, [...names(250), 'svc-0']);
    expect(asked().map((batch) => batch?.length)).toEqual([100, 100, 50]);
    expect([...found.keys()]).toEqual(names(250));
  });

  it('a missing repository costs one more call: ECR names it, and the rest are asked again without it', async () => {
    mock.on(DescribeRepositoriesCommand).callsFake((input: { repositoryNames: string[] }) => {
      const missing = input.repositoryNames.find((name) => name.startsWith('new-'));
      if (missing)
        throw awsError('RepositoryNotFoundException', `The repository with name '${missing}' does not exist in the registry with id '1'`);
      return answer(input);
    });
    const found = await describeRepositories(ecr, ['a', 'new-b', 'c', 'new-d']);
    expect(asked()).toEqual([
      ['a', 'new-b', 'c', 'new-d'],
      ['a', 'c', 'new-d'],
      ['a', 'c'],
    ]);
    expect([...found.keys()]).toEqual(['a', 'c']);
  });

  it('asks for each name alone when the error names none of them, rather than guess', async () => {
    mock.on(DescribeRepositoriesCommand).callsFake((input: { repositoryNames: string[] }) => {
      if (input.repositoryNames.length > 1 || input.repositoryNames[0] === 'b') throw awsError('RepositoryNotFoundException', 'gone');
      return answer(input);
    });
    expect([...(await describeRepositories(ecr, ['a', 'b'])).keys()]).toEqual(['a']);
    expect(asked()).toEqual([['a', 'b'], ['a'], ['b']]);
  });

  it('names the IAM action and the repositories when access is denied', async () => {
    mock.on(DescribeRepositoriesCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    await expect(describeRepositories(ecr, ['a', 'b', 'c'])).rejects.toThrow(
      /needs IAM permission "ecr:DescribeRepositories" on repository a \(and 2 more\)/,
    );
  });
});
