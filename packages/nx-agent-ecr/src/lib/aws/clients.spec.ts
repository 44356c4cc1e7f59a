// The AWS boundary: region resolution, adaptive retry with bounded attempts, and ports that send exactly one command.
import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Readable } from 'node:stream';
import { clientConfig, createAwsClients, createEcrClient, ecrPort, resolveRegion, stsPort } from './clients';

describe('resolveRegion', () => {
  test.each([
    ['option wins', 'eu-west-1', { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' }, 'eu-west-1'],
    ['then AWS_REGION', undefined, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' }, 'us-east-1'],
    ['then AWS_DEFAULT_REGION (the JS SDK ignores it)', undefined, { AWS_DEFAULT_REGION: 'us-west-2' }, 'us-west-2'],
    ['else undefined so the SDK reads the profile', undefined, {}, undefined],
  ])('%s', (_name, option, env, expected) => {
    expect(resolveRegion(option, env)).toBe(expected);
  });
});

describe('clientConfig', () => {
  it('uses adaptive retry with bounded attempts and never sets an endpoint (AWS_ENDPOINT_URL* stay the SDK’s job)', () => {
    const config = clientConfig({ profile: 'ci', maxAttempts: 3 }, { AWS_REGION: 'eu-central-1' });
    expect(config).toEqual({
      region: 'eu-central-1',
      profile: 'ci',
      retryMode: 'adaptive',
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000, throwOnRequestTimeout: true },
    });
    expect(config).not.toHaveProperty('endpoint');
  });
});

describe('ports', () => {
  const ecrMock = mockClient(ECRClient);
  const stsMock = mockClient(STSClient);
  afterAll(() => {
    ecrMock.restore();
    stsMock.restore();
  });

  it('send exactly the command named by each method', async () => {
    const ecr = ecrPort(new ECRClient({ region: 'us-east-1' }));
    await ecr.describeRepositories({ repositoryNames: ['a'] });
    await ecr.describeImages({ repositoryName: 'a', imageIds: [{ imageTag: 't' }] });
    await ecr.getAuthorizationToken({});
    await ecr.putImage({ repositoryName: 'a', imageManifest: '{}', imageTag: 't' });
    expect(ecrMock).toHaveReceivedCommandWith(DescribeRepositoriesCommand, { repositoryNames: ['a'] });
    expect(ecrMock).toHaveReceivedCommandWith(DescribeImagesCommand, { repositoryName: 'a', imageIds: [{ imageTag: 't' }] });
    expect(ecrMock).toHaveReceivedCommandTimes(GetAuthorizationTokenCommand, 1);
    expect(ecrMock).toHaveReceivedCommandWith(PutImageCommand, { repositoryName: 'a', imageManifest: '{}', imageTag: 't' });
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: '1', Arn: 'arn:aws:sts::1:assumed-role/x' });
    await expect(stsPort(new STSClient({ region: 'us-east-1' })).getCallerIdentity()).resolves.toMatchObject({ Account: '1' });
  });
});

describe('ThrottlingException', () => {
  // aws-sdk-client-mock replaces send() and so skips the retry middleware; a fake HTTP handler keeps it in play.
  function throttlingHandler(failures: number) {
    const calls = { count: 0 };
    const handler = {
      handle: async () => {
        calls.count++;
        const throttled = calls.count <= failures;
        const body = throttled
          ? { __type: 'ThrottlingException', message: 'Rate exceeded' }
          : { repositories: [{ repositoryName: 'a', repositoryUri: 'r/a', registryId: '1' }] };
        return {
          response: {
            statusCode: throttled ? 400 : 200,
            headers: { 'content-type': 'application/x-amz-json-1.1', ...(throttled ? { 'x-amzn-errortype': 'ThrottlingException' } : {}) },
            body: Readable.from([Buffer.from(JSON.stringify(body))]),
          },
        };
      },
    };
    return { calls, handler };
  }
  const client = (maxAttempts: number, handler: object) =>
    createEcrClient(
      { region: 'us-east-1', maxAttempts },
      { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, requestHandler: handler as never },
    );

  it('is retried by the SDK’s adaptive retry until a call succeeds', async () => {
    const { calls, handler } = throttlingHandler(1);
    const out = await ecrPort(client(3, handler)).describeRepositories({ repositoryNames: ['a'] });
    expect(out.repositories?.[0]?.repositoryName).toBe('a');
    expect(calls.count).toBe(2);
  });

  it('gives up after maxAttempts, surfacing ThrottlingException', async () => {
    const { calls, handler } = throttlingHandler(99);
    await expect(ecrPort(client(2, handler)).describeRepositories({ repositoryNames: ['a'] })).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    expect(calls.count).toBe(2);
  });
});

describe('createAwsClients', () => {
  const ROLE = 'arn:aws:iam::111111111111:role/ecr-promote-source';
  // Made when this block starts: the ports block above mocks the same class until its own afterAll.
  let stsMock: ReturnType<typeof mockClient>;
  beforeAll(() => (stsMock = mockClient(STSClient)));
  afterAll(() => stsMock.restore());

  it("a target with a role: both clients use the role's credentials from one AssumeRole; the endpoint is ECR's alone", async () => {
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAROLE',
        SecretAccessKey: 'role-secret',
        SessionToken: 'role-token',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    const clients = createAwsClients({ region: 'us-east-1', roleArn: ROLE, endpoint: 'http://127.0.0.1:5101' });
    try {
      expect(await clients.ecr.config.credentials()).toMatchObject({ accessKeyId: 'ASIAROLE', sessionToken: 'role-token' });
      expect(await clients.sts.config.credentials()).toMatchObject({ accessKeyId: 'ASIAROLE' });
      expect(stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
      expect(stsMock).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleArn: ROLE });
      expect(clients.secrets?.()).toEqual(['role-secret', 'role-token']);
      expect(await clients.ecr.config.endpoint?.()).toMatchObject({ hostname: '127.0.0.1', port: 5101 });
      expect(clients.sts.config.endpoint).toBeUndefined();
      // The deploy clients, built on first use, sign with the role too.
      expect(await clients.ecs.config.credentials()).toMatchObject({ accessKeyId: 'ASIAROLE' });
      expect(stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    } finally {
      clients.destroy();
    }
  });

  it('a target without a role builds plain clients that hold no secrets', () => {
    const clients = createAwsClients({ region: 'us-east-1' });
    expect(clients.secrets).toBeUndefined();
    clients.destroy();
  });
});
