// The scan gate before a deploy: the digest about to be deployed is judged by its ECR scan before anything is
// registered or updated; a blocked digest changes nothing in AWS and deploy.json says why.
import { CreateAgentRuntimeCommand, ListAgentRuntimesCommand } from '@aws-sdk/client-bedrock-agentcore-control';
import { DescribeImageScanFindingsCommand } from '@aws-sdk/client-ecr';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { logger } from '@nx/devkit';
import 'aws-sdk-client-mock-jest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  captureLogs,
  CLEAN_SCAN,
  DIGEST,
  deployWorkspace,
  fakeClock,
  fakeGit,
  mockedDeployAws,
} from '../../lib/deploy/deploy-test-support';
import type { DeployRecord } from '../../lib/records/deploy-record';
import { agentcoreDeployExecutor } from '../agentcore-deploy/executor';
import { ecsDeployHarness, notFound } from './executor-test-support';

const CRITICAL = {
  imageScanStatus: { status: 'COMPLETE' as const },
  imageScanFindings: {
    imageScanCompletedAt: new Date(0),
    findingSeverityCounts: { CRITICAL: 1 },
    findings: [{ name: 'CVE-2026-4242', severity: 'CRITICAL' as const, attributes: [{ key: 'package_name', value: 'glibc' }] }],
  },
};

describe('ecs-deploy scan gate', () => {
  const h = ecsDeployHarness();
  beforeEach(() => h.ecs.mock.on(DescribeTaskDefinitionCommand).rejects(notFound()));

  it("judges this run's digest in its repository before registering, and records the verdict", async () => {
    await expect(h.run()).resolves.toEqual({ success: true });
    expect(h.aws.ecr.mock).toHaveReceivedCommandWith(DescribeImageScanFindingsCommand, {
      repositoryName: 'shop-dev-agent',
      imageId: { imageDigest: DIGEST },
    });
    expect(h.record().scan).toEqual({ status: 'COMPLETE', counts: {}, threshold: 'CRITICAL' });
    expect(h.logs.all()).toMatch(/Scan gate: shop-dev-agent@sha256:dddddddddddd passed \(no findings; failOnSeverity CRITICAL\)/);
  });

  it('a CRITICAL finding stops the deploy before any AWS write; deploy.json says failed, with the line', async () => {
    h.aws.ecr.mock.on(DescribeImageScanFindingsCommand).resolves(CRITICAL);
    await expect(h.run()).resolves.toEqual({ success: false });
    expect(h.awsWrites()).toBe(0);
    expect(h.logs.errors()[0]).toMatch(
      /^Scan gate: shop-dev-agent@sha256:dddddddddddd has 1 finding\(s\) at or above CRITICAL .*\n {2}CVE-2026-4242 {2}glibc {2}CRITICAL$/,
    );
    expect(h.record()).toMatchObject({ outcome: 'failed', error: expect.stringContaining('at or above CRITICAL') });
  });

  it('right after the push, a scan on push not started yet is waited for; long after it, it means no scan', async () => {
    const scanNotFound = Object.assign(new Error('no scan'), { name: 'ScanNotFoundException' });
    // The push record says pushed 60 s ago: 10 s later is within the minute a scan on push gets to start.
    const pushedAt = Date.parse(JSON.parse(readFileSync(join(h.ws.root, 'dist/images/apps/agent/ecr-push.json'), 'utf8')).pushedAt);
    h.clock = fakeClock(pushedAt + 10_000);
    h.aws.ecr.mock.on(DescribeImageScanFindingsCommand).rejectsOnce(scanNotFound).resolves(CLEAN_SCAN);
    await expect(h.run()).resolves.toEqual({ success: true });
    expect(h.aws.ecr.mock).toHaveReceivedCommandTimes(DescribeImageScanFindingsCommand, 2);

    h.clock = fakeClock(pushedAt + 3_600_000);
    h.aws.ecr.mock.on(DescribeImageScanFindingsCommand).rejects(scanNotFound);
    await expect(h.run()).resolves.toEqual({ success: false });
    expect(h.logs.errors().at(-1)).toMatch(/has no findings to judge \(SCAN_NOT_FOUND: the image was never scanned/);
    expect(h.awsWrites()).toBe(1);
  });

  it('failOnSeverity "none" deploys without reading the scan; a dry run never reads it', async () => {
    h.aws.ecr.mock.on(DescribeImageScanFindingsCommand).resolves(CRITICAL);
    await expect(h.run({ failOnSeverity: 'none' })).resolves.toEqual({ success: true });
    await expect(h.run({ dryRun: true })).resolves.toEqual({ success: true });
    expect(h.aws.ecr.mock).not.toHaveReceivedCommand(DescribeImageScanFindingsCommand);
  });
});

describe('agentcore-deploy scan gate', () => {
  it('a CRITICAL finding stops CreateAgentRuntime', async () => {
    const ws = deployWorkspace();
    ws.write('apps/agent/deploy/agentcore.json', {
      roleArn: 'arn:aws:iam::123456789012:role/r',
      networkConfiguration: { networkMode: 'PUBLIC' },
    });
    const aws = mockedDeployAws();
    aws.agentCore.mock.on(ListAgentRuntimesCommand).resolves({ agentRuntimes: [] });
    aws.ecr.mock.on(DescribeImageScanFindingsCommand).resolves(CRITICAL);
    const logs = captureLogs(logger);
    const clock = fakeClock();
    try {
      const ran = await agentcoreDeployExecutor({}, ws.context, {
        run: fakeGit(),
        env: {},
        newScope: aws.newScope,
        sleep: clock.sleep,
        now: clock.now,
      });
      expect(ran).toEqual({ success: false });
      expect(aws.agentCore.mock).not.toHaveReceivedCommand(CreateAgentRuntimeCommand);
      expect(logs.errors()[0]).toMatch(/at or above CRITICAL/);
      const record = JSON.parse(readFileSync(join(ws.root, 'dist/images/apps/agent/deploy.json'), 'utf8')) as DeployRecord;
      expect(record.outcome).toBe('failed');
    } finally {
      logs.restore();
    }
  });
});
