// Test support (not shipped in behaviour): ECR errors as the SDK raises them, and a mocked ECR port.
import { ECRClient, ECRServiceException } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { ecrPort } from './clients';

/** An error shaped like the SDK's modelled exceptions (name + $fault + $metadata). */
export function awsError(name: string, message = name): ECRServiceException {
  return new ECRServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

export function mockedEcr() {
  const client = new ECRClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
  return { mock: mockClient(client), ecr: ecrPort(client) };
}
