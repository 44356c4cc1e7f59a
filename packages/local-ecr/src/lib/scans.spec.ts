import { parseScanSetting, ScanBook, scanStatus, severityCounts } from './scans';

describe('scan emulation', () => {
  it('prefers a setting for one of the image tags over the repository setting, and defaults to complete with no findings', () => {
    const book = new ScanBook();
    book.set({ repository: 'app', severityCounts: { LOW: 1 } });
    book.set({ repository: 'app', tag: 'release', severityCounts: { CRITICAL: 2 } });
    expect(severityCounts(book.settingFor('app', ['dev', 'release']).findings)).toEqual({ CRITICAL: 2 });
    expect(severityCounts(book.settingFor('app', ['dev']).findings)).toEqual({ LOW: 1 });
    expect(book.settingFor('other', [])).toEqual({ repository: 'other', status: 'COMPLETE', findings: [] });
  });

  it('stays IN_PROGRESS for completeAfterPolls polls, then completes and keeps its completion time', () => {
    const record = new ScanBook().start('app', 'sha256:a', [], 1000);
    record.setting = parseScanSetting({ repository: 'app', completeAfterPolls: 2 });
    expect(scanStatus(record, 1001, false).status).toBe('IN_PROGRESS');
    expect([1, 2, 3].map((n) => scanStatus(record, 1000 + n, true).status)).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETE']);
    expect(scanStatus(record, 9999, true)).toMatchObject({ status: 'COMPLETE', completedAt: 1003 });
  });

  it('completes completeAfterMs after it started; never with neverCompletes; ends UNSUPPORTED_IMAGE or FAILED when set', () => {
    const book = new ScanBook();
    const timed = { ...book.start('app', 'sha256:a', [], 0), setting: parseScanSetting({ repository: 'app', completeAfterMs: 500 }) };
    expect(scanStatus(timed, 499, true).status).toBe('IN_PROGRESS');
    expect(scanStatus(timed, 500, true).status).toBe('COMPLETE');
    const never = { ...book.start('app', 'sha256:b', [], 0), setting: parseScanSetting({ repository: 'app', neverCompletes: true }) };
    expect(scanStatus(never, 1e12, true).status).toBe('IN_PROGRESS');
    const unsupported = {
      ...book.start('app', 'sha256:c', [], 0),
      setting: parseScanSetting({ repository: 'app', status: 'UNSUPPORTED_IMAGE' }),
    };
    expect(scanStatus(unsupported, 1, true)).toMatchObject({
      status: 'UNSUPPORTED_IMAGE',
      description: expect.stringContaining('UnsupportedImageError'),
    });
  });

  test.each([
    [{}, /needs "repository"/],
    [{ repository: 'app', status: 'DONE' }, /scan status must be one of COMPLETE, FAILED, UNSUPPORTED_IMAGE, SCAN_NOT_FOUND/],
    [{ repository: 'app', findings: [{ name: 'CVE-1', severity: 'BAD' }] }, /findings\[0\].severity must be one of CRITICAL/],
    [{ repository: 'app', severityCounts: { HIGH: -1 } }, /severityCounts.HIGH must be a whole number/],
    [{ repository: 'app', completeAfterPolls: 1.5 }, /completeAfterPolls must be a whole number/],
  ])('refuses the setting %j in one line', (raw, message) => {
    expect(() => parseScanSetting(raw)).toThrow(message);
  });
});
