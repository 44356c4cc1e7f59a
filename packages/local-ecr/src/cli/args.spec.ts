import { exportLine, foregroundArgs, parseCli } from './args';

describe('local-ecr command line', () => {
  test.each([
    [['start'], { command: 'start', foreground: false, reset: false }],
    [
      ['start', '--port', '5200', '--state-dir', '/s', '--token-ttl', '60'],
      { command: 'start', port: 5200, stateDir: '/s', tokenTtlSeconds: 60 },
    ],
    [['stats', '--reset'], { command: 'stats', reset: true }],
    [['start', '--account-id', '111111111111'], { command: 'start', accountId: '111111111111' }],
    [[], { command: 'help' }],
    [['stop', '--help'], { command: 'help' }],
  ])('parses %j', (argv, expected) => {
    expect(parseCli(argv)).toMatchObject(expected);
  });

  test.each([
    [['launch'], "Unknown command 'launch': use one of start, stop, status, stats, env, expire-tokens, help."],
    [['start', '--port', 'x'], "--port must be a port number (0-65535), got 'x'."],
    [['start', '--port', '70000'], "--port must be a port number (0-65535), got '70000'."],
    [['start', '--token-ttl', '0'], "--token-ttl must be a whole number of seconds, got '0'."],
    [['start', '--bogus'], /Unknown option '--bogus'.*local-ecr help/],
    [['start', '--account-id', '42'], "--account-id must be 12 digits, got '42'."],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message);
  });

  it('prints an eval-safe export line', () => {
    expect(exportLine({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5100', ODD: "it's" })).toBe(
      `export AWS_ENDPOINT_URL='http://127.0.0.1:5100' ODD='it'\\''s'`,
    );
  });

  it('hands the background process the same settings, in the foreground', () => {
    expect(foregroundArgs(parseCli(['start', '--port', '5200', '--token-ttl', '9', '--account-id', '111111111111']), '/state')).toEqual([
      'start',
      '--foreground',
      '--state-dir',
      '/state',
      '--port',
      '5200',
      '--token-ttl',
      '9',
      '--account-id',
      '111111111111',
    ]);
  });
});
