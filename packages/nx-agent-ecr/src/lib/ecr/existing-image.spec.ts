// The shared "already in ECR?" lookup: which repositories it asks, in which order, and that it never blocks a build.
import { DescribeImagesCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { STSClient } from '@aws-sdk/client-sts';
import { logger, type ExecutorContext } from '@nx/devkit';
import 'aws-sdk-client-mock-jest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stsPort, type AwsTarget } from '../aws/clients';
import { awsError, mockedEcr } from '../aws/test-support';
import { ecrPushOptions, findPushedImage } from './existing-image';

function context(configurationName?: string, executor = 'nx-agent-ecr:ecr-push'): ExecutorContext {
  const root = mkdtempSync(join(tmpdir(), 'lookup-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'shop' }));
  const target = { executor, options: { region: 'eu-west-1' }, configurations: { prod: { environment: 'prod' } } };
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: 'agent',
    configurationName,
    projectsConfigurations: { version: 2, projects: { agent: { root: 'apps/agent', targets: { 'ecr-push': target } } } },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  } as ExecutorContext;
}

const uri = (name: string) => `123.dkr.ecr.eu-west-1.amazonaws.com/${name}`;

function setup() {
  const { mock, ecr } = mockedEcr();
  const targets: AwsTarget[] = [];
  const deps = { aws: (t: AwsTarget) => (targets.push(t), { ecr, sts: stsPort(new STSClient({})) }), env: {} };
  mock.on(DescribeRepositoriesCommand).callsFake((input: { repositoryNames: string[] }) => ({
    repositories: [{ repositoryName: input.repositoryNames[0], repositoryUri: uri(input.repositoryNames[0]), registryId: '123' }],
  }));
  return { mock, deps, targets };
}

describe('ecrPushOptions', () => {
  it("merges the ecr-push target's options with the configuration of this run", () => {
    expect(ecrPushOptions(context('prod'))).toEqual({ region: 'eu-west-1', environment: 'prod' });
    expect(ecrPushOptions(context())).toEqual({ region: 'eu-west-1' });
    expect(ecrPushOptions(context(undefined, 'nx:run-commands'))).toBeUndefined();
  });
});

describe('findPushedImage', () => {
  it('finds the content tag in the target repository, with its URI from the API', async () => {
    const { mock, deps, targets } = setup();
    mock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: 'sha256:a' }] });
    await expect(findPushedImage(context(), 'content-1', deps)).resolves.toEqual({ repositoryUri: uri('shop-dev-agent'), digest: 'sha256:a', foundIn: 'target' });
    expect(targets).toEqual([{ region: 'eu-west-1', profile: undefined, maxAttempts: 2 }]);
    expect(mock).toHaveReceivedCommandWith(DescribeImagesCommand, { repositoryName: 'shop-dev-agent', imageIds: [{ imageTag: 'content-1' }] });
  });

  it('then looks in the dev repository for a prod run (promotion source)', async () => {
    const { mock, deps } = setup();
    mock.on(DescribeImagesCommand, { repositoryName: 'shop-prod-agent' }).rejects(awsError('ImageNotFoundException'));
    mock.on(DescribeImagesCommand, { repositoryName: 'shop-dev-agent' }).resolves({ imageDetails: [{ imageDigest: 'sha256:b' }] });
    await expect(findPushedImage(context('prod'), 'content-1', deps)).resolves.toEqual({ repositoryUri: uri('shop-dev-agent'), digest: 'sha256:b', foundIn: 'promote-from' });
  });

  it('returns undefined when neither repository holds it', async () => {
    const { mock, deps } = setup();
    mock.on(DescribeImagesCommand).rejects(awsError('ImageNotFoundException'));
    await expect(findPushedImage(context('prod'), 'content-1', deps)).resolves.toBeUndefined();
    expect(mock).toHaveReceivedCommandTimes(DescribeImagesCommand, 2);
  });

  it('warns and returns undefined on credential problems, so a build without AWS still builds', async () => {
    const { mock, deps } = setup();
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    mock.on(DescribeRepositoriesCommand).rejects(awsError('ExpiredTokenException', 'The security token included in the request is expired'));
    await expect(findPushedImage(context(), 'content-1', deps)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Could not ask ECR whether shop-dev-agent holds content-1 (The security token included in the request is expired); building.'));
    warn.mockRestore();
  });

  it('asks nothing when the project has no ecr-push target', async () => {
    const { mock, deps } = setup();
    await expect(findPushedImage(context(undefined, 'x:y'), 'content-1', deps)).resolves.toBeUndefined();
    expect(mock.calls()).toHaveLength(0);
  });
});
