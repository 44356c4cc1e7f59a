// Emulated basic image scanning: findings set per repository or tag (admin API), scans started on push or by
// StartImageScan, and how a scan's status moves (pending for N polls or ms, never, or straight to its outcome).

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const OUTCOMES = ['COMPLETE', 'FAILED', 'UNSUPPORTED_IMAGE', 'SCAN_NOT_FOUND'] as const;
export type ScanOutcome = (typeof OUTCOMES)[number];

export interface Finding {
  name: string;
  severity: Severity;
  description?: string;
  uri?: string;
  attributes?: { key: string; value?: string }[];
}

export interface ScanSetting {
  repository: string;
  /** Only images carrying this tag when their scan starts; without it, the whole repository. */
  tag?: string;
  /** The final status; SCAN_NOT_FOUND: no scan on push (DescribeImageScanFindings: ScanNotFoundException). */
  status: ScanOutcome;
  findings: Finding[];
  /** IN_PROGRESS for this many DescribeImageScanFindings calls, then the outcome. */
  completeAfterPolls?: number;
  /** IN_PROGRESS until this long after the scan started. */
  completeAfterMs?: number;
  /** IN_PROGRESS for ever. */
  neverCompletes?: boolean;
  /** imageScanStatus.description of the final status. */
  description?: string;
}

/** What the admin API takes: findings listed, or generated from counts per severity (or both). */
export interface ScanSettingInput extends Partial<Omit<ScanSetting, 'repository'>> {
  repository: string;
  severityCounts?: Partial<Record<Severity, number>>;
}

export interface ScanRecord {
  repository: string;
  digest: string;
  startedAt: number;
  polls: number;
  completedAt?: number;
  setting: ScanSetting;
}

export type ScanStatus = 'IN_PROGRESS' | Exclude<ScanOutcome, 'SCAN_NOT_FOUND'>;

export class ScanSettingError extends Error {}

/** Enough to page through (ECR pages by up to 1000), small enough that a setting cannot exhaust memory. */
const MAX_FINDINGS = 100_000;

const DESCRIPTIONS: Record<ScanStatus, string> = {
  IN_PROGRESS: 'The scan is in progress.',
  COMPLETE: 'The scan was completed successfully.',
  FAILED: 'The scan failed.',
  UNSUPPORTED_IMAGE: 'UnsupportedImageError: The operating system and/or package manager are not supported.',
};

function fail(message: string): never {
  throw new ScanSettingError(message);
}

function findingsOf(spec: Record<string, unknown>): Finding[] {
  const listed = spec['findings'] ?? [];
  if (!Array.isArray(listed)) fail('scan findings must be a list of {name, severity, description?, uri?, attributes?}.');
  const findings = listed.map((item: unknown, index): Finding => {
    const finding = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof finding['name'] !== 'string') fail(`scan findings[${index}].name must be a string such as CVE-2024-0001.`);
    if (!SEVERITIES.includes(finding['severity'] as Severity))
      fail(`scan findings[${index}].severity must be one of ${SEVERITIES.join(', ')}.`);
    return finding as unknown as Finding;
  });
  const counts = spec['severityCounts'] ?? {};
  const total =
    listed.length + Object.values(counts as object).reduce((sum: number, n: unknown) => sum + (Number.isInteger(n) ? (n as number) : 0), 0);
  if (total > MAX_FINDINGS) fail(`a scan setting holds at most ${MAX_FINDINGS} findings, got ${total}.`);
  if (typeof counts !== 'object' || counts === null) fail('scan severityCounts must be an object like {"HIGH": 2}.');
  for (const [severity, count] of Object.entries(counts)) {
    if (!SEVERITIES.includes(severity as Severity) || !Number.isInteger(count) || (count as number) < 0)
      fail(`scan severityCounts.${severity} must be a whole number and a severity of ${SEVERITIES.join(', ')}.`);
    for (let n = 1; n <= (count as number); n++) {
      findings.push({
        name: `CVE-LOCAL-${severity}-${String(n).padStart(4, '0')}`,
        severity: severity as Severity,
        description: `Synthetic ${severity} finding ${n}`,
      });
    }
  }
  return findings;
}

/** Validates a scan setting as posted to the admin API; throws one line naming the field. */
export function parseScanSetting(raw: unknown): ScanSetting {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail('a scan setting must be a JSON object like {"repository":"team/app","severityCounts":{"HIGH":1}}.');
  const spec = raw as Record<string, unknown>;
  if (typeof spec['repository'] !== 'string' || spec['repository'] === '') fail('a scan setting needs "repository".');
  const status = (spec['status'] ?? 'COMPLETE') as ScanOutcome;
  if (!OUTCOMES.includes(status)) fail(`scan status must be one of ${OUTCOMES.join(', ')}, got ${JSON.stringify(spec['status'])}.`);
  for (const key of ['completeAfterPolls', 'completeAfterMs'] as const) {
    const value = spec[key];
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < 0)) fail(`scan ${key} must be a whole number >= 0.`);
  }
  return {
    repository: spec['repository'],
    ...(typeof spec['tag'] === 'string' ? { tag: spec['tag'] } : {}),
    status,
    findings: findingsOf(spec),
    ...(spec['completeAfterPolls'] !== undefined ? { completeAfterPolls: spec['completeAfterPolls'] as number } : {}),
    ...(spec['completeAfterMs'] !== undefined ? { completeAfterMs: spec['completeAfterMs'] as number } : {}),
    ...(spec['neverCompletes'] === true ? { neverCompletes: true } : {}),
    ...(typeof spec['description'] === 'string' ? { description: spec['description'] } : {}),
  };
}

const DEFAULT_SETTING = (repository: string): ScanSetting => ({ repository, status: 'COMPLETE', findings: [] });
const settingKey = (repository: string, tag?: string) => `${repository}\n${tag ?? ''}`;
const recordKey = (repository: string, digest: string) => `${repository}\n${digest}`;

export class ScanBook {
  private readonly settings = new Map<string, ScanSetting>();
  private readonly records = new Map<string, ScanRecord>();

  set(raw: unknown): ScanSetting {
    const setting = parseScanSetting(raw);
    this.settings.set(settingKey(setting.repository, setting.tag), setting);
    return setting;
  }

  /** Forgets every setting and every scan (StartImageScan works again on every image). */
  clear(): void {
    this.settings.clear();
    this.records.clear();
  }

  list(): { settings: ScanSetting[]; scans: ScanRecord[] } {
    return { settings: [...this.settings.values()], scans: [...this.records.values()] };
  }

  /** The setting for an image: one for any of its tags, else the repository's, else "complete, no findings". */
  settingFor(repository: string, tags: readonly string[]): ScanSetting {
    for (const tag of tags) {
      const byTag = this.settings.get(settingKey(repository, tag));
      if (byTag) return byTag;
    }
    return this.settings.get(settingKey(repository)) ?? DEFAULT_SETTING(repository);
  }

  start(repository: string, digest: string, tags: readonly string[], now: number): ScanRecord {
    const record: ScanRecord = { repository, digest, startedAt: now, polls: 0, setting: this.settingFor(repository, tags) };
    this.records.set(recordKey(repository, digest), record);
    return record;
  }

  recordOf(repository: string, digest: string): ScanRecord | undefined {
    return this.records.get(recordKey(repository, digest));
  }

  forget(repository: string, digest?: string): void {
    for (const [key, record] of this.records)
      if (record.repository === repository && (digest === undefined || record.digest === digest)) this.records.delete(key);
  }
}

/** Where a scan stands at `now`; `poll` counts this call as one DescribeImageScanFindings poll. */
export function scanStatus(
  record: ScanRecord,
  now: number,
  poll: boolean,
): { status: ScanStatus; description: string; completedAt?: number } {
  if (poll && record.completedAt === undefined) record.polls += 1;
  const { setting } = record;
  const pending =
    setting.neverCompletes === true ||
    (setting.completeAfterPolls !== undefined && record.polls <= setting.completeAfterPolls) ||
    (setting.completeAfterMs !== undefined && now - record.startedAt < setting.completeAfterMs);
  if (record.completedAt === undefined && pending) return { status: 'IN_PROGRESS', description: DESCRIPTIONS.IN_PROGRESS };
  record.completedAt ??= now;
  const status: ScanStatus = setting.status === 'SCAN_NOT_FOUND' ? 'COMPLETE' : setting.status;
  return { status, description: setting.description ?? DESCRIPTIONS[status], completedAt: record.completedAt };
}

export function severityCounts(findings: readonly Finding[]): Partial<Record<Severity, number>> {
  const counts: Partial<Record<Severity, number>> = {};
  for (const finding of findings) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
  return counts;
}
