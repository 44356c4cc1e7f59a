// ECR repositories: exact commands and inputs for describe/create, drift, and each ECR error's meaning.
import { CreateRepositoryCommand, DescribeRepositoriesCommand, PutLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import 'aws-sdk-client-mock-jest';
import { ensureRepository, repositoryDrift, type RepositorySettings } from './repository';
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
