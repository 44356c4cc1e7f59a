// The ECR API over AWS JSON 1.1: `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Operation>`.
import { getAccountSetting, putAccountSetting } from './account-settings';
import { issueToken } from './auth';
import { type ServerContext, persist } from './context';
import { EcrError } from './errors';
import { asInput, type Input } from './input';
import { batchDeleteImage, putImage } from './ecr-image-writes';
import { batchGetImage, describeImages, listImages } from './ecr-images';
import {
  createRepository,
  deleteRepository,
  describeRepositories,
  putImageScanningConfiguration,
  putImageTagMutability,
  seconds,
} from './ecr-repositories';
import { getLifecyclePolicy, putLifecyclePolicy } from './lifecycle-policy';

export const ECR_TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';

type Operation = (context: ServerContext, input: Input) => object | Promise<object>;

function getAuthorizationToken(context: ServerContext) {
  const token = issueToken(context.state, context.tokenTtlSeconds, context.now());
  persist(context);
  return {
    authorizationData: [
      { authorizationToken: token.authorizationToken, expiresAt: seconds(token.expiresAt), proxyEndpoint: `http://${context.host}` },
    ],
  };
}

export const OPERATIONS: Record<string, Operation> = {
  CreateRepository: createRepository,
  DescribeRepositories: describeRepositories,
  DeleteRepository: deleteRepository,
  GetAuthorizationToken: getAuthorizationToken,
  DescribeImages: describeImages,
  ListImages: listImages,
  BatchGetImage: batchGetImage,
  PutImage: putImage,
  BatchDeleteImage: batchDeleteImage,
  PutImageScanningConfiguration: putImageScanningConfiguration,
  PutImageTagMutability: putImageTagMutability,
  PutLifecyclePolicy: putLifecyclePolicy,
  GetLifecyclePolicy: getLifecyclePolicy,
  GetAccountSetting: getAccountSetting,
  PutAccountSetting: putAccountSetting,
};

export interface JsonAnswer {
  status: number;
  body: object;
}

/** Runs one ECR operation; exceptions become ECR's `{__type, message}` answers, anything else a 500. */
export async function handleEcrCall(context: ServerContext, target: string, body: string): Promise<JsonAnswer> {
  const operation = OPERATIONS[target.slice(ECR_TARGET_PREFIX.length)];
  try {
    if (!target.startsWith(ECR_TARGET_PREFIX) || !operation) {
      throw new EcrError(
        'UnknownOperationException',
        `local-ecr does not implement ${target}; see packages/local-ecr/README.md for the supported operations.`,
      );
    }
    return { status: 200, body: await operation(context, asInput(body)) };
  } catch (error) {
    if (error instanceof EcrError) return { status: error.status, body: { __type: error.type, message: error.message } };
    const message = error instanceof Error ? error.message : String(error);
    return { status: 500, body: { __type: 'ServerException', message: `local-ecr failed: ${message}` } };
  }
}
