import { childArgs } from './local-ecr';

describe('startLocalEcr child process arguments', () => {
  test.each([
    [{}, ['start', '--foreground', '--exit-with-parent', '--state-dir', '/s', '--port', '5100']],
    [
      { port: 0, tokenTtlSeconds: 5 },
      ['start', '--foreground', '--exit-with-parent', '--state-dir', '/s', '--port', '0', '--token-ttl', '5'],
    ],
    [
      { region: 'eu-west-1', registryBinary: '/opt/registry' },
      [
        'start',
        '--foreground',
        '--exit-with-parent',
        '--state-dir',
        '/s',
        '--port',
        '5100',
        '--region',
        'eu-west-1',
        '--registry-binary',
        '/opt/registry',
      ],
    ],
  ])('passes %j on to `local-ecr start --foreground`', (options, expected) => {
    expect(childArgs(options, '/s')).toEqual(expected);
  });
});
