// The AWS boundary: region resolution, adaptive retry with bounded attempts, and ports that send exactly one command.
import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import * as agentcore from '@aws-sdk/client-bedrock-agentcore-control';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Readable } from 'node:stream';
import { agentCorePort, clientConfig, createEcrClient, ecrPort, ecsPort, resolveRegion, stsPort } from './aws';

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
    expect(config).toEqual({ region: 'eu-central-1', profile: 'ci', retryMode: 'adaptive', maxAttempts: 3 });
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

describe('deploy ports', () => {
  it('send exactly the command named by each method, with the task’s abort signal', async () => {
    const ecsClient = new ECSClient({ region: 'eu-west-1' });
    const coreClient = new agentcore.BedrockAgentCoreControlClient({ region: 'eu-west-1' });
    const ecsMock = mockClient(ecsClient);
    const coreMock = mockClient(coreClient);
    const signal = new AbortController().signal;
    const ecs = ecsPort(ecsClient);
    await ecs.describeTaskDefinition({ taskDefinition: 'f' }, signal);
    await ecs.registerTaskDefinition({ family: 'f', containerDefinitions: [] }, signal);
    await ecs.describeServices({ cluster: 'c', services: ['s'] }, signal);
    await ecs.updateService({ cluster: 'c', service: 's', taskDefinition: 'f:2' }, signal);
    const sent = (mock: { calls(): { args: unknown[] }[] }) => mock.calls().map((call) => [(call.args[0] as object).constructor.name, call.args[1]]);
    expect(sent(ecsMock)).toEqual(
      [DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, DescribeServicesCommand, UpdateServiceCommand].map((c) => [c.name, { abortSignal: signal }]),
    );
    const core = agentCorePort(coreClient);
    await core.listAgentRuntimes({}, signal);
    await core.getAgentRuntime({ agentRuntimeId: 'r' }, signal);
    await core.createAgentRuntime({ agentRuntimeName: 'r', agentRuntimeArtifact: {}, roleArn: 'x' } as never, signal);
    await core.updateAgentRuntime({ agentRuntimeId: 'r', agentRuntimeArtifact: {}, roleArn: 'x' } as never, signal);
    await core.getAgentRuntimeEndpoint({ agentRuntimeId: 'r', endpointName: 'e' }, signal);
    await core.createAgentRuntimeEndpoint({ agentRuntimeId: 'r', name: 'e' }, signal);
    await core.updateAgentRuntimeEndpoint({ agentRuntimeId: 'r', endpointName: 'e' }, signal);
    expect(sent(coreMock)).toEqual(
      [
        agentcore.ListAgentRuntimesCommand,
        agentcore.GetAgentRuntimeCommand,
        agentcore.CreateAgentRuntimeCommand,
        agentcore.UpdateAgentRuntimeCommand,
        agentcore.GetAgentRuntimeEndpointCommand,
        agentcore.CreateAgentRuntimeEndpointCommand,
        agentcore.UpdateAgentRuntimeEndpointCommand,
      ].map((c) => [c.name, { abortSignal: signal }]),
    );
    ecsMock.restore();
    coreMock.restore();
  });
});
