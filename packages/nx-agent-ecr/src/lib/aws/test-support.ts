// Test support (not shipped in behaviour): ECR errors as the SDK raises them, mocked ECR and STS clients.
import { ECRClient, ECRServiceException } from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { ecrPort } from './clients';

/** An error shaped like the SDK's modelled exceptions (name + $fault + $metadata). */
export function awsError(name: string, message = name): ECRServiceException {
  return new ECRServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };

export function mockedEcr() {
  const client = new ECRClient({ region: 'us-east-1', credentials });
  return { mock: mockClient(client), ecr: ecrPort(client), client };
}

/** Both SDK clients of a target, mocked, in the shape the run scope builds them (lib/task/run-scope.ts). */
export function mockedClients() {
  const { mock: ecrMock, client: ecr } = mockedEcr();
  const sts = new STSClient({ region: 'us-east-1', credentials });
  const stsMock = mockClient(sts);
  stsMock.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/ci/x' });
  return { ecrMock, stsMock, clients: { ecr, sts } };
}
