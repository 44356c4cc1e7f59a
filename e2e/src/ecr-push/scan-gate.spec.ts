// The scan gate of `ecr-push -c prod` against local-ecr's emulated basic scanning, with the real engine: the dev
// image is scanned on push with findings set through local-ecr's admin API, then promoted to prod. Clean and HIGH
// pass at the default CRITICAL, CRITICAL blocks (nothing reaches prod), a pending scan is waited for, a scan that
// never completes fails at the deadline, and an unsupported image fails unless scanUnavailable is "pass".
// Each case runs alone with -t: its own workspace and project, so its own repositories.
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import type { ScanSettingInput } from 'local-ecr';
import { ecrClientFor, useLocalEcr } from '../support/local-ecr';
import { PushWorkspace, useEnv, type Run } from './harness';

jest.setTimeout(10 * 60_000);

describe('ecr-push -c prod: scan gate against local-ecr scan findings (real engine)', () => {
  const localEcr = useLocalEcr();
  let ws: PushWorkspace;
  let restoreEnv: () => void;

  beforeAll(() => {
    restoreEnv = useEnv(localEcr().env);
  });
  beforeEach(() => {
    ws = new PushWorkspace();
  });
  afterEach(async () => {
    ws.dispose();
    await localEcr().scans.clear();
  });
  afterAll(() => restoreEnv());

  const devRepo = () => `e2e-dev-${ws.project}`;
  const prodRepo = () => `e2e-prod-${ws.project}`;
  const prodTags = async () => {
    const out = await ecrClientFor(localEcr())
      .send(new DescribeImagesCommand({ repositoryName: prodRepo() }))
      .catch(() => ({ imageDetails: [] }));
    return (out.imageDetails ?? []).flatMap((d) => d.imageTags ?? []);
  };
  /** Built, pushed to dev (scanned on push with `scan`), then promoted to prod with `options`. */
  const promote = async (scan: Omit<ScanSettingInput, 'repository'>, options: Parameters<PushWorkspace['push']>[1] = {}): Promise<Run> => {
    await localEcr().scans.set({ repository: devRepo(), ...scan });
    ws.commitAll('service');
    expect(await ws.build()).toMatchObject({ success: true });
    expect(await ws.push('dev')).toMatchObject({ success: true });
    return ws.push('prod', options);
  };
  const errors = (run: Run) => run.logs.filter((line) => line.startsWith('error:')).join('\n');

  it('clean: the promotion passes the gate, and ecr-push.json records what the gate saw', async () => {
    const run = await promote({ severityCounts: {} });
    expect(run).toMatchObject({ success: true });
    expect(run.logs).toContainEqual(
      expect.stringMatching(new RegExp(`Scan gate: ${devRepo()}@sha256:\\w+ passed \\(no findings; failOnSeverity CRITICAL\\)`)),
    );
    expect(ws.pushRecord()).toMatchObject({ outcome: 'promoted', scan: { status: 'COMPLETE', threshold: 'CRITICAL' } });
    expect(await prodTags()).toContain('latest');
  });

  it('high: passes at the default CRITICAL threshold, and is blocked at failOnSeverity HIGH with the top findings', async () => {
    const run = await promote({ severityCounts: { HIGH: 2, LOW: 1 } });
    expect(run).toMatchObject({ success: true });
    expect(ws.pushRecord().scan).toEqual({ status: 'COMPLETE', counts: { HIGH: 2, LOW: 1 }, threshold: 'CRITICAL' });
    ws.write('apps/agent/app.txt', 'a second release\n');
    const strict = await promote({ severityCounts: { HIGH: 2, LOW: 1 } }, { failOnSeverity: 'HIGH' });
    expect(strict).toMatchObject({ success: false });
    expect(errors(strict)).toMatch(/has 2 finding\(s\) at or above HIGH \(2 HIGH, 1 LOW\)/);
    expect(errors(strict)).toContain('CVE-LOCAL-HIGH-0001  (package unknown)  HIGH');
  });

  it('critical: blocked in one line listing CVE, package and severity; nothing reaches prod', async () => {
    const run = await promote({
      findings: [
        {
          name: 'CVE-2026-0001',
          severity: 'CRITICAL',
          attributes: [
            { key: 'package_name', value: 'openssl' },
            { key: 'package_version', value: '3.0.1' },
          ],
        },
      ],
      severityCounts: { HIGH: 1 },
    });
    expect(run).toMatchObject({ success: false });
    const [line, ...findings] = errors(run)
      .replace(/^error: /, '')
      .split('\n');
    expect(line).toMatch(
      new RegExp(`^Scan gate: ${devRepo()}@sha256:\\w+ has 1 finding\\(s\\) at or above CRITICAL \\(1 CRITICAL, 1 HIGH\\)`),
    );
    expect(findings).toEqual(['  CVE-2026-0001  openssl 3.0.1  CRITICAL', '  CVE-LOCAL-HIGH-0001  (package unknown)  HIGH']);
    expect(await prodTags()).toEqual([]);
  });

  it('pending then complete: the gate waits for the scan, then judges it', async () => {
    const run = await promote({ completeAfterPolls: 2, severityCounts: { MEDIUM: 1 } });
    expect(run).toMatchObject({ success: true });
    expect(ws.pushRecord().scan).toEqual({ status: 'COMPLETE', counts: { MEDIUM: 1 }, threshold: 'CRITICAL' });
    expect(run.seconds).toBeGreaterThanOrEqual(2 + 4); // the first two polls saw IN_PROGRESS, then backed off 2 s and 4 s
  });

  it('never complete: fails at the scanTimeoutSeconds deadline naming the status; nothing reaches prod', async () => {
    const run = await promote({ neverCompletes: true }, { scanTimeoutSeconds: 5 });
    expect(run).toMatchObject({ success: false });
    expect(errors(run)).toMatch(
      /the scan of .* did not settle within 5s \(IN_PROGRESS: The scan is in progress\.\); raise scanTimeoutSeconds/,
    );
    expect(await prodTags()).toEqual([]);
  });

  it('unsupported image: fails by default, passes with scanUnavailable "pass"', async () => {
    const run = await promote({ status: 'UNSUPPORTED_IMAGE' });
    expect(run).toMatchObject({ success: false });
    expect(errors(run)).toMatch(/has no findings to judge \(UNSUPPORTED_IMAGE: UnsupportedImageError.*set scanUnavailable to "pass"/);
    expect(await ws.push('prod', { scanUnavailable: 'pass' })).toMatchObject({ success: true });
    expect(ws.pushRecord().scan).toMatchObject({ status: 'UNSUPPORTED_IMAGE' });
  });
});
