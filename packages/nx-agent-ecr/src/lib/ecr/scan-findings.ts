// Reading ECR's image scan answers (pure): is the scan settled, what did it find, does that block the image. The
// status alone cannot be trusted: basic scanning reports COMPLETE before its findings are filled in, and continuous
// (enhanced) scanning never leaves ACTIVE (aws/aws-sdk#289, #288), so "settled" means "results are there".
import type { DescribeImageScanFindingsCommandOutput } from '@aws-sdk/client-ecr';

/** Most severe first. Enhanced scanning's UNTRIAGED ranks with UNDEFINED: below every named level. */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Threshold = Exclude<Severity, 'UNDEFINED'> | 'none';

export interface ScanFinding {
  id: string;
  severity: string;
  package?: string;
}

export type ScanReading =
  | { state: 'pending'; status: string; why: string }
  | { state: 'settled'; status: string; counts: Record<string, number>; findings: ScanFinding[]; nextToken?: string }
  | { state: 'unavailable'; status: string; why: string }
  | { state: 'failed'; status: string; why: string };

/** Statuses with no findings to judge and none coming: the gate passes or fails them by its option. */
const UNAVAILABLE = new Set(['UNSUPPORTED_IMAGE', 'SCAN_ELIGIBILITY_EXPIRED', 'FINDINGS_UNAVAILABLE', 'LIMIT_EXCEEDED']);

export function readScanPage(page: DescribeImageScanFindingsCommandOutput): ScanReading {
  const status = page.imageScanStatus?.status ?? 'UNKNOWN';
  const why = page.imageScanStatus?.description ?? status;
  if (status === 'IN_PROGRESS' || status === 'PENDING') return { state: 'pending', status, why };
  if (status === 'FAILED') return { state: 'failed', status, why };
  if (UNAVAILABLE.has(status)) return { state: 'unavailable', status, why };
  if (status !== 'COMPLETE' && status !== 'ACTIVE') return { state: 'unavailable', status, why: `unknown scan status ${status}: ${why}` };
  const results = page.imageScanFindings;
  const counts = { ...(results?.findingSeverityCounts ?? {}) } as Record<string, number>;
  const findings = findingsOf(page);
  const hasResults = results?.imageScanCompletedAt !== undefined || Object.keys(counts).length > 0 || findings.length > 0;
  if (!hasResults) {
    const state = status === 'ACTIVE' ? 'continuous scanning has not reported yet' : 'COMPLETE, but its results are not there yet';
    return { state: 'pending', status, why: state };
  }
  return {
    state: 'settled',
    status,
    counts: Object.keys(counts).length > 0 ? counts : countOf(findings),
    findings,
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}

/** Basic findings (name, severity, package_name attribute) and enhanced ones (vulnerabilityId, vulnerable packages). */
export function findingsOf(page: DescribeImageScanFindingsCommandOutput): ScanFinding[] {
  const basic = (page.imageScanFindings?.findings ?? []).map((f) => ({
    id: f.name ?? '?',
    severity: f.severity ?? 'UNDEFINED',
    package: joinPackage(
      f.attributes?.find((a) => a.key === 'package_name')?.value,
      f.attributes?.find((a) => a.key === 'package_version')?.value,
    ),
  }));
  const enhanced = (page.imageScanFindings?.enhancedFindings ?? []).map((f) => {
    const pkg = f.packageVulnerabilityDetails?.vulnerablePackages?.[0];
    return {
      id: f.packageVulnerabilityDetails?.vulnerabilityId ?? f.title ?? '?',
      severity: f.severity ?? 'UNDEFINED',
      package: joinPackage(pkg?.name, pkg?.version),
    };
  });
  return [...basic, ...enhanced].map((f) => (f.package ? f : { id: f.id, severity: f.severity }));
}

function joinPackage(name: string | undefined, version: string | undefined): string | undefined {
  return name ? (version ? `${name} ${version}` : name) : undefined;
}

function countOf(findings: ScanFinding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
}

const rank = (severity: string) => {
  const at = (SEVERITIES as readonly string[]).indexOf(severity);
  return at < 0 ? SEVERITIES.length : at;
};

/** Whether a finding of `severity` blocks at `threshold` ("none" blocks nothing). */
export const blocks = (severity: string, threshold: Threshold): boolean => threshold !== 'none' && rank(severity) <= rank(threshold);

/** How many findings are at or above the threshold. */
export function blockingCount(counts: Record<string, number>, threshold: Threshold): number {
  return Object.entries(counts)
    .filter(([severity]) => blocks(severity, threshold))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** The most severe findings first, then by id, at most `n`. */
export function topFindings(findings: ScanFinding[], n = 5): ScanFinding[] {
  return [...findings].sort((a, b) => rank(a.severity) - rank(b.severity) || a.id.localeCompare(b.id)).slice(0, n);
}

/** "1 CRITICAL, 3 HIGH" in severity order, or "no findings". */
export function countsText(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([severity, n]) => `${n} ${severity}`);
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}

export const findingLine = (f: ScanFinding): string => `${f.id}  ${f.package ?? '(package unknown)'}  ${f.severity}`;
