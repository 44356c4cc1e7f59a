// Test support (not shipped in behaviour): ECR errors as the SDK raises them, mocked SDK clients of one target.
import { BedrockAgentCoreControlClient } from '@aws-sdk/client-bedrock-agentcore-control';
import { ECRClient, ECRServiceException } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { ecrPort, type AwsClients } from './clients';

/** An error shaped like the SDK's modelled exceptions (name + $fault + $metadata). */
export function awsError(name: string, message = name): ECRServiceException {
  return new ECRServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };

export function mockedEcr(region = 'us-east-1') {
  const client = new ECRClient({ region, credentials });
  return { mock: mockClient(client), ecr: ecrPort(client), client };
}

/** Every SDK client of a target, mocked, in the shape the run scope builds them (lib/task/run-scope.ts). */
export function mockedClients(region = 'us-east-1') {
  const { mock: ecrMock, client: ecr } = mockedEcr(region);
  const sts = new STSClient({ region, credentials });
  const ecs = new ECSClient({ region, credentials });
  const agentCore = new BedrockAgentCoreControlClient({ region, credentials });
  const stsMock = mockClient(sts);
  stsMock.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/ci/x' });
  const clients: AwsClients = { ecr, sts, ecs, agentCore, destroy: () => [ecr, sts, ecs, agentCore].forEach((c) => c.destroy()) };
  return { ecrMock, stsMock, ecsMock: mockClient(ecs), agentCoreMock: mockClient(agentCore), clients };
}
