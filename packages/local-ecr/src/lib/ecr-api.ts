// The ECR API over AWS JSON 1.1: `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Operation>`.
import { getAccountSetting, putAccountSetting } from './account-settings';
import { issueToken } from './auth';
import { type ServerContext, tokenKeys } from './context';
import { EcrError } from './errors';
import type { FaultEffect } from './faults';
import type { Input } from './input';
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
import { describeImageScanFindings, startImageScan } from './ecr-scans';
import { getLifecyclePolicy, putLifecyclePolicy } from './lifecycle-policy';

export const ECR_TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';

type Operation = (context: ServerContext, input: Input, effect?: FaultEffect) => object | Promise<object>;

/** A password signed with the state directory's key: issuing one stores and writes nothing. */
function getAuthorizationToken(context: ServerContext) {
  const token = issueToken(tokenKeys(context), context.tokenTtlSeconds, context.now());
  return {
    authorizationData: [
      { authorizationToken: token.authorizationToken, expiresAt: seconds(token.expiresAt), proxyEndpoint: `http://${context.host}` },
    ],
  };
}

/** A Map, so that only these names are operations (`constructor` is not one). */
export const OPERATIONS = new Map<string, Operation>([
  ['CreateRepository', createRepository],
  ['DescribeRepositories', describeRepositories],
  ['DeleteRepository', deleteRepository],
  ['GetAuthorizationToken', getAuthorizationToken],
  ['DescribeImages', describeImages],
  ['ListImages', listImages],
  ['BatchGetImage', batchGetImage],
  ['PutImage', putImage],
  ['BatchDeleteImage', batchDeleteImage],
  ['PutImageScanningConfiguration', putImageScanningConfiguration],
  ['PutImageTagMutability', putImageTagMutability],
  ['PutLifecyclePolicy', putLifecyclePolicy],
  ['GetLifecyclePolicy', getLifecyclePolicy],
  ['GetAccountSetting', getAccountSetting],
  ['PutAccountSetting', putAccountSetting],
  ['StartImageScan', startImageScan],
  ['DescribeImageScanFindings', describeImageScanFindings],
]);

export interface JsonAnswer {
  status: number;
  body: object;
  /** Errors carry `x-amzn-ErrorType`, as ECR sends it (the SDK reads the code from it first). */
  errorType?: string;
}

const errorAnswer = (status: number, type: string, message: string): JsonAnswer => ({
  status,
  body: { __type: type, message },
  errorType: `${type}:`,
});

/** Runs one ECR operation; exceptions become ECR's `{__type, message}` answers, anything else a 500. */
export async function handleEcrCall(context: ServerContext, target: string, input: () => Input, effect?: FaultEffect): Promise<JsonAnswer> {
  const operation = target.startsWith(ECR_TARGET_PREFIX) ? OPERATIONS.get(target.slice(ECR_TARGET_PREFIX.length)) : undefined;
  try {
    if (!operation) {
      throw new EcrError(
        'UnknownOperationException',
        `local-ecr does not implement ${target}; see packages/local-ecr/README.md for the supported operations.`,
      );
    }
    return { status: 200, body: await operation(context, input(), effect) };
  } catch (error) {
    if (error instanceof EcrError) return errorAnswer(error.status, error.type, error.message);
    const message = error instanceof Error ? error.message : String(error);
    return errorAnswer(500, 'ServerException', `local-ecr failed: ${message}`);
  }
}
