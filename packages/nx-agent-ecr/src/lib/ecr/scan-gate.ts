// The scan gate: before an image is promoted or deployed, wait (with a deadline) for its ECR scan to settle, then
// block it when findings reach the threshold. Polls DescribeImageScanFindings itself instead of the SDK's waiter,
// which times out under continuous scanning and trusts a COMPLETE that has no results yet (aws/aws-sdk#288, #289).
import type { EcrPort } from '../aws/clients';
import { awsErrorName, explainAccessDenied } from '../aws/errors';
import { UserError } from '../errors';
import { pollUntil } from '../task/poll';
import {
  blockingCount,
  blocks,
  countsText,
  findingLine,
  findingsOf,
  readScanPage,
  topFindings,
  type ScanFinding,
  type ScanReading,
  type Threshold,
} from './scan-findings';

export interface ScanGateOptions {
  threshold: Threshold;
  timeoutMs: number;
  /** What an image without findings to judge gets: no scan (scanning not enabled), UNSUPPORTED_IMAGE, … */
  whenUnavailable: 'fail' | 'pass';
}

/** The gate's options as the executors' schemas spell them. */
export interface ScanGateSchema {
  failOnSeverity?: Threshold;
  scanTimeoutSeconds?: number;
  scanUnavailable?: 'fail' | 'pass';
}

/** The gate's settings: off (undefined) with "none", else `failOnSeverity` or CRITICAL when `onByDefault`. */
export function scanGateOptions(options: ScanGateSchema, onByDefault: boolean): ScanGateOptions | undefined {
  const threshold = options.failOnSeverity ?? (onByDefault ? 'CRITICAL' : 'none');
  if (threshold === 'none') return undefined;
  return { threshold, timeoutMs: (options.scanTimeoutSeconds ?? 600) * 1000, whenUnavailable: options.scanUnavailable ?? 'fail' };
}

export interface ScannedImage {
  ecr: EcrPort;
  repositoryName: string;
  digest: string;
  /** Another account's registry (cross-account promotion); the caller's own when absent. */
  registryId?: string;
  /** A scan on push may not exist yet right after the push: ScanNotFound is "pending" this long after it. */
  pushedAt?: Date;
}

export interface GateDeps {
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** What the gate saw, for the log and the records. */
export interface ScanVerdict {
  status: string;
  counts: Record<string, number>;
  threshold: Threshold;
  passed: boolean;
  /** One line for the log. */
  line: string;
}

/** A blocked image: the message is the verdict line, then the top findings (id, package, severity), one a line. */
export class ScanGateError extends UserError {}

const SCAN_START_GRACE_MS = 60_000;
const MAX_FINDING_PAGES = 20;
/** 2 s, 4 s, 8 s, then every 15 s: quick for a fast basic scan, gentle on the API for a slow one. */
export const scanInterval = (attempt: number) => Math.min(15_000, 2_000 * 2 ** (attempt - 1));

export async function scanGate(image: ScannedImage, options: ScanGateOptions, deps: GateDeps = {}): Promise<ScanVerdict> {
  const label = `${image.repositoryName}@${image.digest.slice(0, 19)}`;
  const now = deps.now ?? Date.now;
  const polled = await pollUntil(
    async () => {
      const reading = await readOnce(image, now());
      return { done: reading.state !== 'pending', value: reading };
    },
    { timeoutMs: options.timeoutMs, intervalMs: scanInterval, signal: deps.signal, sleep: deps.sleep, now },
  );
  const reading = polled.value;
  const verdict = (passed: boolean, line: string, counts: Record<string, number> = {}): ScanVerdict => ({
    status: reading.status,
    counts,
    threshold: options.threshold,
    passed,
    line,
  });
  if (reading.state === 'pending') {
    const seconds = Math.round(options.timeoutMs / 1000);
    throw new ScanGateError(
      `Scan gate: the scan of ${label} did not settle within ${seconds}s (${reading.status}: ${reading.why}); ` +
        `raise scanTimeoutSeconds, or check the repository's scanning configuration.`,
    );
  }
  if (reading.state === 'failed')
    throw new ScanGateError(`Scan gate: the scan of ${label} failed (${reading.why}); start it again or check ECR.`);
  if (reading.state === 'unavailable') {
    const what = `Scan gate: ${label} has no findings to judge (${reading.status}: ${reading.why})`;
    if (options.whenUnavailable === 'pass') return verdict(true, `${what}; passed because scanUnavailable is "pass".`);
    throw new ScanGateError(`${what}: enable scan on push for the repository, or set scanUnavailable to "pass" to accept such images.`);
  }
  const blocking = blockingCount(reading.counts, options.threshold);
  const found = countsText(reading.counts);
  if (blocking === 0) return verdict(true, `Scan gate: ${label} passed (${found}; failOnSeverity ${options.threshold}).`, reading.counts);
  const all = reading.nextToken ? [...reading.findings, ...(await laterPages(image, reading.nextToken))] : reading.findings;
  const top = topFindings(all);
  const unshown = blocking - top.filter((f) => blocks(f.severity, options.threshold)).length;
  const more = unshown > 0 ? [`  … and ${unshown} more at or above ${options.threshold}`] : [];
  throw new ScanGateError(
    [
      `Scan gate: ${label} has ${blocking} finding(s) at or above ${options.threshold} (${found}): fix them and rebuild, ` +
        `or set failOnSeverity higher (or "none") to accept them. Top findings:`,
      ...top.map((f) => `  ${findingLine(f)}`),
      ...more,
    ].join('\n'),
  );
}

async function readOnce(image: ScannedImage, now: number): Promise<ScanReading> {
  try {
    const page = await image.ecr.describeImageScanFindings(request(image));
    return readScanPage(page);
  } catch (error) {
    if (awsErrorName(error) !== 'ScanNotFoundException') {
      return explainAccessDenied(error, 'ecr:DescribeImageScanFindings', `repository ${image.repositoryName}`);
    }
    const justPushed = image.pushedAt !== undefined && now - image.pushedAt.getTime() < SCAN_START_GRACE_MS;
    return justPushed
      ? { state: 'pending', status: 'SCAN_NOT_FOUND', why: 'the scan on push has not started yet' }
      : { state: 'unavailable', status: 'SCAN_NOT_FOUND', why: 'the image was never scanned: the repository does not scan on push' };
  }
}

const request = (image: ScannedImage, nextToken?: string) => ({
  repositoryName: image.repositoryName,
  imageId: { imageDigest: image.digest },
  maxResults: 1000,
  ...(image.registryId ? { registryId: image.registryId } : {}),
  ...(nextToken ? { nextToken } : {}),
});

/** The findings past the first page, so the top ones are the most severe of all (bounded: 20 pages). */
async function laterPages(image: ScannedImage, first: string): Promise<ScanFinding[]> {
  const findings: ScanFinding[] = [];
  let token: string | undefined = first;
  for (let page = 1; token && page < MAX_FINDING_PAGES; page++) {
    const out = await image.ecr.describeImageScanFindings(request(image, token));
    findings.push(...findingsOf(out));
    token = out.nextToken;
  }
  return findings;
}
