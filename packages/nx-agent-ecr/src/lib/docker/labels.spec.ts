// Default OCI labels: a browsable source URL without credentials, the git revision, and nothing when git is absent.
import { CommandNotFoundError, type ProcessRunner } from '../process';
import { defaultLabels, publicUrl } from './labels';

describe('publicUrl', () => {
  test.each([
    ['git@github.com:org/repo.git', 'https://github.com/org/repo'],
    ['https://user:token@github.com/org/repo.git', 'https://github.com/org/repo'],
    ['https://gitlab.example/org/repo.git?access_token=glpat-SECRET#main', 'https://gitlab.example/org/repo'],
    ['ssh://git@example.com/org/repo.git', 'https://example.com/org/repo'],
    ['git+https://github.com/org/repo.git', 'https://github.com/org/repo'],
    ['https://gitlab.example/group/sub/repo', 'https://gitlab.example/group/sub/repo'],
    ['not a url', undefined],
    [undefined, undefined],
  ])('publicUrl(%s) = %s', (url, expected) => expect(publicUrl(url)).toBe(expected));
});

describe('defaultLabels', () => {
  const now = new Date('2026-01-02T03:04:05.000Z');

  it('reads source and revision through git', async () => {
    const run: ProcessRunner = async (file, args) => ({
      command: `${file} ${args.join(' ')}`,
      exitCode: 0,
      stdout: args[0] === 'rev-parse' ? 'abc\n' : 'git@github.com:o/r.git\n',
      stderr: '',
      canceled: false,
      durationMs: 1,
    });
    await expect(defaultLabels(run, '/nonexistent', 'svc', now)).resolves.toEqual({
      'org.opencontainers.image.source': 'https://github.com/o/r',
      'org.opencontainers.image.revision': 'abc',
      'org.opencontainers.image.created': '2026-01-02T03:04:05.000Z',
      'org.opencontainers.image.title': 'svc',
    });
  });

  it('takes the revision the caller already read, and asks git only for the remote', async () => {
    const asked: string[] = [];
    const run: ProcessRunner = async (_file, args) => {
      asked.push(args.join(' '));
      return { command: '', exitCode: 0, stdout: 'https://github.com/o/r\n', stderr: '', canceled: false, durationMs: 1 };
    };
    await expect(defaultLabels(run, '/nonexistent', 'svc', now, 'f'.repeat(40))).resolves.toMatchObject({
      'org.opencontainers.image.revision': 'f'.repeat(40),
    });
    expect(asked).toEqual(['config --get remote.origin.url']);
  });

  it('leaves source and revision out when git is not installed', async () => {
    const run: ProcessRunner = async () => {
      throw new CommandNotFoundError('git');
    };
    await expect(defaultLabels(run, '/nonexistent', 'svc', now)).resolves.toEqual({
      'org.opencontainers.image.created': '2026-01-02T03:04:05.000Z',
      'org.opencontainers.image.title': 'svc',
    });
  });
});
