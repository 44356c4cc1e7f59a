// The scan gate against mocked DescribeImageScanFindings answers, including the shapes that break the SDK's waiter:
// COMPLETE before the results (aws/aws-sdk#289) and continuous scanning's ACTIVE (#288).
import { DescribeImageScanFindingsCommand, type DescribeImageScanFindingsCommandOutput } from '@aws-sdk/client-ecr';
import 'aws-sdk-client-mock-jest';
import { awsError, mockedEcr } from '../aws/test-support';
import { scanGate, scanInterval, type ScanGateOptions } from './scan-gate';
import { blockingCount, countsText, readScanPage, topFindings } from './scan-findings';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OPTIONS: ScanGateOptions = { threshold: 'CRITICAL', timeoutMs: 60_000, whenUnavailable: 'fail' };
const complete = (
  findings: { name: string; severity: string; pkg?: string }[],
  extra: object = {},
): DescribeImageScanFindingsCommandOutput => ({
  $metadata: {},
  imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
  imageScanFindings: {
    imageScanCompletedAt: new Date(0),
    findingSeverityCounts: Object.fromEntries(
      [...new Set(findings.map((f) => f.severity))].map((s) => [s, findings.filter((f) => f.severity === s).length]),
    ),
    findings: findings.map((f) => ({
      name: f.name,
      severity: f.severity as 'HIGH',
      attributes: f.pkg
        ? [
            { key: 'package_name', value: f.pkg },
            { key: 'package_version', value: '1.0' },
          ]
        : [],
    })),
  },
  ...extra,
});
const status = (value: string, extra: object = {}): DescribeImageScanFindingsCommandOutput => ({
  $metadata: {},
  imageScanStatus: { status: value as 'COMPLETE', description: `${value} description` },
  ...extra,
});

let ecr: ReturnType<typeof mockedEcr>;
let clock: number;
const deps = () => ({ now: () => clock, sleep: async (ms: number) => void (clock += ms) });
const gate = (options: Partial<ScanGateOptions> = {}, pushedAt?: Date) =>
  scanGate({ ecr: ecr.ecr, repositoryName: 'shop-dev-svc', digest: DIGEST, pushedAt }, { ...OPTIONS, ...options }, deps());

beforeEach(() => {
  ecr = mockedEcr();
  clock = 1_000_000;
});

describe('scanGate', () => {
  it('passes a clean image and says what it saw', async () => {
    ecr.mock.on(DescribeImageScanFindingsCommand).resolves(complete([]));
    expect(await gate()).toEqual({
      status: 'COMPLETE',
      counts: {},
      threshold: 'CRITICAL',
      passed: true,
      line: `Scan gate: shop-dev-svc@${DIGEST.slice(0, 19)} passed (no findings; failOnSeverity CRITICAL).`,
    });
    expect(ecr.mock).toHaveReceivedCommandWith(DescribeImageScanFindingsCommand, {
      repositoryName: 'shop-dev-svc',
      imageId: { imageDigest: DIGEST },
      maxResults: 1000,
    });
  });

  it('passes HIGH findings at the default CRITICAL threshold, and blocks them at HIGH with the top findings listed', async () => {
    ecr.mock.on(DescribeImageScanFindingsCommand).resolves(complete([{ name: 'CVE-2026-0002', severity: 'HIGH', pkg: 'zlib' }]));
    expect((await gate()).passed).toBe(true);
    await expect(gate({ threshold: 'HIGH' })).rejects.toThrow(
      `Scan gate: shop-dev-svc@${DIGEST.slice(0, 19)} has 1 finding(s) at or above HIGH (1 HIGH): fix them and rebuild, ` +
        `or set failOnSeverity higher (or "none") to accept them. Top findings:\n  CVE-2026-0002  zlib 1.0  HIGH`,
    );
  });

  it('blocks a CRITICAL finding, listing the most severe first and counting those not shown', async () => {
    const findings = [
      { name: 'CVE-LOW', severity: 'LOW' },
      ...Array.from({ length: 6 }, (_, i) => ({ name: `CVE-C${i}`, severity: 'CRITICAL', pkg: 'openssl' })),
    ];
    ecr.mock.on(DescribeImageScanFindingsCommand).resolves(complete(findings));
    const error = await gate().catch((e: Error) => e);
    expect(String((error as Error).message).split('\n')).toEqual([
      expect.stringContaining('has 6 finding(s) at or above CRITICAL (6 CRITICAL, 1 LOW)'),
      '  CVE-C0  openssl 1.0  CRITICAL',
      '  CVE-C1  openssl 1.0  CRITICAL',
      '  CVE-C2  openssl 1.0  CRITICAL',
      '  CVE-C3  openssl 1.0  CRITICAL',
      '  CVE-C4  openssl 1.0  CRITICAL',
      '  … and 1 more at or above CRITICAL',
    ]);
  });

  it('failOnSeverity none lets any finding through', async () => {
    ecr.mock.on(DescribeImageScanFindingsCommand).resolves(complete([{ name: 'CVE-1', severity: 'CRITICAL' }]));
    expect(await gate({ threshold: 'none' })).toMatchObject({ passed: true, counts: { CRITICAL: 1 } });
  });

  it('waits while the scan is PENDING and IN_PROGRESS, backing off, then judges the complete scan', async () => {
    ecr.mock
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(status('PENDING'))
      .resolvesOnce(status('IN_PROGRESS'))
      .resolves(complete([{ name: 'CVE-1', severity: 'CRITICAL' }]));
    await expect(gate()).rejects.toThrow(/has 1 finding\(s\) at or above CRITICAL/);
    expect(clock - 1_000_000).toBe(scanInterval(1) + scanInterval(2));
  });

  it('does not trust COMPLETE without results (aws/aws-sdk#289): it waits until the findings are there', async () => {
    ecr.mock
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(status('COMPLETE', { imageScanFindings: { findings: [] } }))
      .resolves(complete([{ name: 'CVE-1', severity: 'CRITICAL' }]));
    await expect(gate()).rejects.toThrow(/at or above CRITICAL/);
  });

  it('judges continuous scanning by its results, not by a COMPLETE that never comes (aws/aws-sdk#288)', async () => {
    ecr.mock
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(status('ACTIVE', { imageScanFindings: { findings: [] } }))
      .resolves(
        status('ACTIVE', {
          imageScanFindings: {
            enhancedFindings: [
              {
                severity: 'HIGH',
                packageVulnerabilityDetails: { vulnerabilityId: 'CVE-2026-9', vulnerablePackages: [{ name: 'glibc', version: '2.36' }] },
              },
            ],
          },
        }),
      );
    await expect(gate({ threshold: 'HIGH' })).rejects.toThrow(/1 HIGH\).*\n {2}CVE-2026-9 {2}glibc 2\.36 {2}HIGH/);
  });

  it('a scan that never settles fails at the deadline, naming the status it was stuck in', async () => {
    ecr.mock.on(DescribeImageScanFindingsCommand).resolves(status('IN_PROGRESS'));
    await expect(gate({ timeoutMs: 30_000 })).rejects.toThrow(
      `Scan gate: the scan of shop-dev-svc@${DIGEST.slice(0, 19)} did not settle within 30s (IN_PROGRESS: IN_PROGRESS description); ` +
        `raise scanTimeoutSeconds, or check the repository's scanning configuration.`,
    );
    expect(clock - 1_000_000).toBe(30_000);
  });

  it.each(['UNSUPPORTED_IMAGE', 'FINDINGS_UNAVAILABLE', 'SCAN_ELIGIBILITY_EXPIRED'])(
    '%s fails by default and passes with whenUnavailable "pass"',
    async (value) => {
      ecr.mock.on(DescribeImageScanFindingsCommand).resolves(status(value));
      await expect(gate()).rejects.toThrow(new RegExp(`has no findings to judge \\(${value}: .*set scanUnavailable to "pass"`));
      expect(await gate({ whenUnavailable: 'pass' })).toMatchObject({ passed: true, status: value });
    },
  );

  it('an image that was never scanned (scanning not enabled) is unavailable; right after a push it is still pending', async () => {
    ecr.mock.on(DescribeImageScanFindingsCommand).rejectsOnce(awsError('ScanNotFoundException')).resolves(complete([]));
    expect((await gate({}, new Date(clock - 5_000))).passed).toBe(true);
    ecr.mock.reset();
    ecr.mock.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException'));
    await expect(gate()).rejects.toThrow(
      /SCAN_NOT_FOUND: the image was never scanned: the repository does not scan on push\): enable scan on push/,
    );
    expect(await gate({ whenUnavailable: 'pass' })).toMatchObject({ passed: true, status: 'SCAN_NOT_FOUND' });
  });

  it('a FAILED scan fails whatever the options say', async () => {
    ecr.mock.on(DescribeImageScanFindingsCommand).resolves(status('FAILED'));
    await expect(gate({ whenUnavailable: 'pass', threshold: 'none' })).rejects.toThrow(/the scan of .* failed \(FAILED description\)/);
  });

  it('access denied names the IAM action to grant', async () => {
    ecr.mock.on(DescribeImageScanFindingsCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    await expect(gate()).rejects.toThrow(
      'Access denied: the role needs IAM permission "ecr:DescribeImageScanFindings" on repository shop-dev-svc',
    );
  });

  it('reads every page for the top findings when the first page does not hold them all', async () => {
    ecr.mock
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(complete([{ name: 'CVE-LOW', severity: 'LOW' }], { nextToken: 't1' }))
      .resolves({ ...complete([{ name: 'CVE-CRIT', severity: 'CRITICAL' }]), nextToken: undefined });
    await expect(gate({ threshold: 'LOW' })).rejects.toThrow(/Top findings:\n {2}CVE-CRIT {2}\(package unknown\) {2}CRITICAL\n {2}CVE-LOW/);
    expect(ecr.mock).toHaveReceivedCommandWith(DescribeImageScanFindingsCommand, { nextToken: 't1' });
  });

  it('asks another account’s registry when the image lives there', async () => {
    ecr.mock.on(DescribeImageScanFindingsCommand).resolves(complete([]));
    await scanGate({ ecr: ecr.ecr, repositoryName: 'r', digest: DIGEST, registryId: '111111111111' }, OPTIONS, deps());
    expect(ecr.mock).toHaveReceivedCommandWith(DescribeImageScanFindingsCommand, { registryId: '111111111111' });
  });
});

describe('scan findings', () => {
  test.each<[string, Record<string, number>, number]>([
    ['CRITICAL', { CRITICAL: 1, HIGH: 2, LOW: 3 }, 1],
    ['HIGH', { CRITICAL: 1, HIGH: 2, LOW: 3 }, 3],
    ['LOW', { CRITICAL: 1, HIGH: 2, LOW: 3, UNDEFINED: 4 }, 6],
    ['none', { CRITICAL: 1 }, 0],
  ])('at %s, %j has %i blocking', (threshold, counts, n) => expect(blockingCount(counts, threshold as 'HIGH')).toBe(n));

  it('orders counts and findings most severe first', () => {
    expect(countsText({ LOW: 1, CRITICAL: 2, MEDIUM: 0 })).toBe('2 CRITICAL, 1 LOW');
    expect(
      topFindings([
        { id: 'b', severity: 'LOW' },
        { id: 'a', severity: 'UNTRIAGED' },
        { id: 'c', severity: 'HIGH' },
      ]).map((f) => f.id),
    ).toEqual(['c', 'b', 'a']);
  });

  it('counts the findings themselves when ECR gives no findingSeverityCounts', () => {
    const page = status('COMPLETE', {
      imageScanFindings: { imageScanCompletedAt: new Date(0), findings: [{ name: 'x', severity: 'HIGH' }] },
    });
    expect(readScanPage(page)).toMatchObject({ state: 'settled', counts: { HIGH: 1 } });
  });
});
