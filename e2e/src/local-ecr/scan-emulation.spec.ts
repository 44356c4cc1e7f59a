// local-ecr's basic-scan emulation through the AWS SDK (and its waiter) and the AWS CLI: scan on push, findings set
// per repository or tag, pagination with full severity counts, pending/never/failed/unsupported, no scan at all.
import {
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  StartImageScanCommand,
  waitUntilImageScanComplete,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { sh } from '../support/docker';
import { ecrClientFor, pushTinyImage, useLocalEcr, type ScanSettingInput } from '../support/local-ecr';

describe('local-ecr image scanning', () => {
  const localEcr = useLocalEcr();
  let ecr: ECRClient;
  let repositories = 0;
  beforeAll(() => {
    ecr = ecrClientFor(localEcr());
  });
  afterEach(async () => {
    await localEcr().scans.clear();
  });

  /** A new repository (scan on push unless told otherwise) with the given scan setting, and one image pushed as v1. */
  async function pushed(setting: Omit<ScanSettingInput, 'repository'> | undefined, scanOnPush = true) {
    const repositoryName = `scans/repo-${++repositories}`;
    await ecr.send(new CreateRepositoryCommand({ repositoryName, imageScanningConfiguration: { scanOnPush } }));
    if (setting) await localEcr().scans.set({ repository: repositoryName, ...setting });
    const image = await pushTinyImage(localEcr(), repositoryName, 'v1', repositoryName);
    return { repositoryName, imageId: { imageTag: 'v1' }, digest: image.digest };
  }
  const findings = (input: { repositoryName: string; imageId: { imageTag: string } }, nextToken?: string) =>
    ecr.send(new DescribeImageScanFindingsCommand({ ...input, ...(nextToken ? { nextToken } : {}) }));

  it('scans on push with the repository findings: the SDK waiter sees COMPLETE, and findings page by 1000 with full counts', async () => {
    const image = await pushed({ severityCounts: { CRITICAL: 1, HIGH: 1200 } });
    const waited = await waitUntilImageScanComplete(
      { client: ecr, maxWaitTime: 30, minDelay: 1 },
      { repositoryName: image.repositoryName, imageId: image.imageId },
    );
    expect(waited.state).toBe('SUCCESS');
    const first = await findings(image);
    expect(first.imageScanStatus).toEqual({ status: 'COMPLETE', description: 'The scan was completed successfully.' });
    expect(first.imageScanFindings?.findings).toHaveLength(1000);
    expect(first.imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 1, HIGH: 1200 });
    const second = await findings(image, first.nextToken);
    expect(second.imageScanFindings?.findings).toHaveLength(201);
    expect(second.nextToken).toBeUndefined();
    expect(second.imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 1, HIGH: 1200 });
    const described = await ecr.send(new DescribeImagesCommand({ repositoryName: image.repositoryName, imageIds: [image.imageId] }));
    expect(described.imageDetails?.[0]).toMatchObject({
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindingsSummary: { findingSeverityCounts: { CRITICAL: 1, HIGH: 1200 }, imageScanCompletedAt: expect.any(Date) },
    });
  });

  it('uses the findings set for one tag over those of the repository, exactly as given', async () => {
    const repositoryName = `scans/repo-${++repositories}`;
    await ecr.send(new CreateRepositoryCommand({ repositoryName, imageScanningConfiguration: { scanOnPush: true } }));
    await localEcr().scans.set({ repository: repositoryName, severityCounts: { LOW: 3 } });
    const finding = {
      name: 'CVE-2024-0001',
      severity: 'CRITICAL' as const,
      description: 'openssl',
      uri: 'https://example.test/CVE-2024-0001',
      attributes: [{ key: 'package_name', value: 'openssl' }],
    };
    await localEcr().scans.set({ repository: repositoryName, tag: 'release', findings: [finding] });
    await pushTinyImage(localEcr(), repositoryName, 'release', 'tagged');
    await pushTinyImage(localEcr(), repositoryName, 'dev', 'untagged-setting');
    expect((await findings({ repositoryName, imageId: { imageTag: 'release' } })).imageScanFindings?.findings).toEqual([finding]);
    expect((await findings({ repositoryName, imageId: { imageTag: 'dev' } })).imageScanFindings?.findingSeverityCounts).toEqual({ LOW: 3 });
  });

  it('stays IN_PROGRESS for completeAfterPolls polls, then completes', async () => {
    const image = await pushed({ completeAfterPolls: 2, severityCounts: { MEDIUM: 1 } });
    const statuses = [];
    for (let poll = 0; poll < 3; poll++) statuses.push((await findings(image)).imageScanStatus?.status);
    expect(statuses).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETE']);
  });

  it('stays IN_PROGRESS until completeAfterMs after the push', async () => {
    const image = await pushed({ completeAfterMs: 1500 });
    expect((await findings(image)).imageScanStatus?.status).toBe('IN_PROGRESS');
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await findings(image)).imageScanStatus?.status).toBe('COMPLETE');
  });

  it('never completes when told so: the SDK waiter gives up', async () => {
    const image = await pushed({ neverCompletes: true });
    await expect(
      waitUntilImageScanComplete(
        { client: ecr, maxWaitTime: 3, minDelay: 1, maxDelay: 1 },
        { repositoryName: image.repositoryName, imageId: image.imageId },
      ),
    ).rejects.toThrow(/TIMEOUT/);
    expect((await findings(image)).imageScanFindings).toBeUndefined();
  });

  it('ends FAILED (the waiter fails) or UNSUPPORTED_IMAGE as ECR reports them', async () => {
    const failed = await pushed({ status: 'FAILED' });
    await expect(
      waitUntilImageScanComplete(
        { client: ecr, maxWaitTime: 10, minDelay: 1 },
        { repositoryName: failed.repositoryName, imageId: failed.imageId },
      ),
    ).rejects.toThrow(/FAILURE/);
    const unsupported = await pushed({ status: 'UNSUPPORTED_IMAGE' });
    expect((await findings(unsupported)).imageScanStatus).toEqual({
      status: 'UNSUPPORTED_IMAGE',
      description: 'UnsupportedImageError: The operating system and/or package manager are not supported.',
    });
  });

  it('has no scan when scanning is not enabled (ScanNotFoundException); StartImageScan scans it, once a day', async () => {
    for (const image of [await pushed(undefined, false), await pushed({ status: 'SCAN_NOT_FOUND' })]) {
      await expect(findings(image)).rejects.toMatchObject({
        name: 'ScanNotFoundException',
        message: `Image scan does not exist for the image with '{imageDigest:'${image.digest}', imageTag:'v1'}' in the repository with name '${image.repositoryName}' in the registry with id '000000000000'`,
      });
      const started = await ecr.send(new StartImageScanCommand({ repositoryName: image.repositoryName, imageId: image.imageId }));
      expect(started).toMatchObject({
        imageId: { imageDigest: image.digest, imageTag: 'v1' },
        imageScanStatus: { status: expect.stringMatching(/IN_PROGRESS|COMPLETE/) },
      });
      expect((await findings(image)).imageScanStatus?.status).toBe('COMPLETE');
      await expect(
        ecr.send(new StartImageScanCommand({ repositoryName: image.repositoryName, imageId: image.imageId })),
      ).rejects.toMatchObject({
        name: 'LimitExceededException',
      });
    }
  });

  it('answers `aws ecr describe-image-scan-findings` and `wait image-scan-complete`', async () => {
    const image = await pushed({ severityCounts: { HIGH: 2 } });
    const env = { ...process.env, ...localEcr().env };
    const args = ['--repository-name', image.repositoryName, '--image-id', 'imageTag=v1'];
    expect(sh('aws', ['ecr', 'wait', 'image-scan-complete', ...args], { env }).status).toBe(0);
    const cli = sh('aws', ['ecr', 'describe-image-scan-findings', ...args, '--output', 'json'], { env });
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindings: { findingSeverityCounts: { HIGH: 2 } },
    });
  });
});
