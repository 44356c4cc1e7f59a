// The scan gate inside ecr-push: on for promotions, opt-in elsewhere; a blocked image moves no tag that matters,
// copies nothing and leaves a failure record, never a success.
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { logger } from '@nx/devkit';
import 'aws-sdk-client-mock-jest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsError } from '../../lib/aws/test-support';
import { ecrPushExecutor } from './executor';
import { formatPlan } from './plan';
import { CONTENT, digest, HOST, loadFixture, pushableImage, repo, setup, workspace } from './executor-test-support';

beforeAll(loadFixture);

const CRITICAL = {
  imageScanStatus: { status: 'COMPLETE' as const },
  imageScanFindings: {
    imageScanCompletedAt: new Date(0),
    findingSeverityCounts: { CRITICAL: 1 },
    findings: [{ name: 'CVE-2026-1234', severity: 'CRITICAL' as const, attributes: [{ key: 'package_name', value: 'openssl' }] }],
  },
};
const prod = { ...repo, repositoryName: 'shop-prod-agent', repositoryUri: `${HOST}/shop-prod-agent` };

let logs: string[];
beforeEach(() => {
  logs = [];
  for (const level of ['info', 'warn', 'error'] as const) {
    jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => void logs.push(`${level}: ${args.join(' ')}`));
  }
});
afterEach(() => jest.restoreAllMocks());

/** Whether the run left a success record (a blocked run leaves its failure record instead). */
const recordExists = (root: string) => {
  const path = join(root, 'dist/images/apps/agent/ecr-push.json');
  return existsSync(path) && (JSON.parse(readFileSync(path, 'utf8')) as { outcome: string }).outcome !== 'failed';
};

/** prod does not hold the content; dev does (a promotion). */
function promotable() {
  const h = setup();
  // ECR answers for the names asked: prod, and dev (the promotion source) when a lookup asks for its URI.
  h.ecrMock.on(DescribeRepositoriesCommand).callsFake(({ repositoryNames = [] }: { repositoryNames?: string[] }) => ({
    repositories: [prod, repo].filter((r) => repositoryNames.includes(r.repositoryName)),
  }));
  h.ecrMock
    .on(DescribeImagesCommand, { repositoryName: 'shop-prod-agent', imageIds: [{ imageTag: CONTENT }] })
    .rejects(awsError('ImageNotFoundException'));
  h.ecrMock
    .on(DescribeImagesCommand, { repositoryName: 'shop-prod-agent', imageIds: [{ imageDigest: digest }] })
    .resolves({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT, 'latest', 'abc1234'], imageSizeInBytes: 9 }] });
  h.ecrMock
    .on(DescribeImagesCommand, { repositoryName: 'shop-dev-agent', imageIds: [{ imageTag: CONTENT }] })
    .resolves({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT] }] });
  return h;
}

describe('ecr-push scan gate', () => {
  it('blocks a prod promotion on a CRITICAL finding of the dev image: nothing copied, no tag, no record, the CVE listed', async () => {
    const h = promotable();
    h.ecrMock.on(DescribeImageScanFindingsCommand).resolves(CRITICAL);
    const context = workspace('prod');
    expect(await ecrPushExecutor({ environment: 'prod' }, context, h.deps)).toEqual({ success: false });
    expect(h.ecrMock).toHaveReceivedCommandWith(DescribeImageScanFindingsCommand, { repositoryName: 'shop-dev-agent' });
    expect(h.ecrMock).not.toHaveReceivedCommand(BatchGetImageCommand);
    expect(h.ecrMock).not.toHaveReceivedCommand(PutImageCommand);
    expect(recordExists(context.root)).toBe(false);
    expect(logs.filter((l) => l.startsWith('error:'))).toEqual([
      expect.stringMatching(
        /^error: Scan gate: shop-dev-agent@sha256:111111111111 has 1 finding\(s\) at or above CRITICAL \(1 CRITICAL\).*\n {2}CVE-2026-1234 {2}openssl {2}CRITICAL$/,
      ),
    ]);
  });

  it('failOnSeverity "none" turns the gate off for a promotion: no scan is read', async () => {
    const h = promotable();
    expect(await ecrPushExecutor({ environment: 'prod', failOnSeverity: 'none' }, workspace('prod'), h.deps)).toEqual({ success: true });
    expect(h.ecrMock).not.toHaveReceivedCommand(DescribeImageScanFindingsCommand);
  });

  it('a dev push does not wait for a scan unless failOnSeverity asks for it', async () => {
    const h = setup();
    pushableImage(h);
    expect(await ecrPushExecutor({}, workspace(), h.deps)).toEqual({ success: true });
    expect(h.ecrMock).not.toHaveReceivedCommand(DescribeImageScanFindingsCommand);
  });

  it('a gated push pushes the content tag only, and a blocked image never gets latest or the git-sha tag', async () => {
    const h = setup();
    pushableImage(h);
    h.ecrMock.on(DescribeImageScanFindingsCommand).resolves(CRITICAL);
    const context = workspace();
    expect(await ecrPushExecutor({ failOnSeverity: 'HIGH' }, context, h.deps)).toEqual({ success: false });
    expect(h.runner.docker().some((c) => c.args[0] === 'push' && c.args[1]?.endsWith(`:${CONTENT}`))).toBe(true);
    expect(h.ecrMock).not.toHaveReceivedCommand(PutImageCommand);
    expect(recordExists(context.root)).toBe(false);
  });

  it('a retag of what prod already holds is gated on the prod image before latest moves', async () => {
    const h = setup();
    // ECR answers for the names asked: prod, and dev (the promotion source) when a lookup asks for its URI.
    h.ecrMock.on(DescribeRepositoriesCommand).callsFake(({ repositoryNames = [] }: { repositoryNames?: string[] }) => ({
      repositories: [prod, repo].filter((r) => repositoryNames.includes(r.repositoryName)),
    }));
    h.ecrMock
      .on(DescribeImagesCommand, { repositoryName: 'shop-prod-agent' })
      .resolves({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT] }] });
    h.ecrMock.on(DescribeImageScanFindingsCommand).resolves(CRITICAL);
    expect(await ecrPushExecutor({ environment: 'prod' }, workspace('prod'), h.deps)).toEqual({ success: false });
    expect(h.ecrMock).toHaveReceivedCommandWith(DescribeImageScanFindingsCommand, { repositoryName: 'shop-prod-agent' });
    expect(h.ecrMock).not.toHaveReceivedCommand(PutImageCommand);
  });

  it('the plan (and so a dry run) says which image the gate would judge, and at what threshold', () => {
    const source = { repositoryName: 'shop-dev-agent', digest, tags: [CONTENT], repositoryUri: `${HOST}/shop-dev-agent` };
    const view = { repositoryName: 'shop-prod-agent', repositoryExists: true, tags: [CONTENT] };
    expect(formatPlan({ ...view, plan: { build: { kind: 'none' }, action: { kind: 'promote', source } }, gate: 'CRITICAL' })).toContain(
      `gate: wait for the ECR scan of shop-dev-agent@${digest}; fail on CRITICAL or above before any tag moves`,
    );
    expect(formatPlan({ ...view, plan: { build: { kind: 'none' }, action: { kind: 'promote', source } } }).join('\n')).not.toContain(
      'gate:',
    );
  });
});
