import { nxInvocations, parseNxCommand } from './nx-commands';

describe('nxInvocations', () => {
  test('finds each nx call, with continuations joined', () => {
    expect(
      nxInvocations(
        'npx nx affected -t test docker-build\nfor p in $(npx nx show projects ' +
          '--json); do\n  npx nx run "$p:docker-build" -c dev \\\n  --cacheFrom=x\ndone',
      ),
    ).toEqual([
      ['affected', '-t', 'test', 'docker-build'],
      ['show', 'projects', '--json'],
      ['run', '$p:docker-build', '-c', 'dev', '--cacheFrom=x'],
    ]);
  });
});

describe('parseNxCommand', () => {
  test.each([
    [['affected', '-t', 'test', 'docker-build', '--base=x'], ['test', 'docker-build'], []],
    [['affected', '-t', 'ecr-push', '-c', 'dev'], ['ecr-push'], ['dev']],
    [['run-many', '--targets=ecr-push', '--configuration=prod'], ['ecr-push'], ['prod']],
    [['run', '$PROJECT:docker-build', '-c', '$ENVIRONMENT'], ['docker-build'], ['dev', 'prod']],
    [['run', 'svc:ecr-push:staging'], ['ecr-push'], ['staging']],
    [['show', 'projects', '--with-target', 'ecr-push', '--json'], ['ecr-push'], []],
  ])('%j', (args, targets, configurations) => {
    expect(parseNxCommand(args, { ENVIRONMENT: ['dev', 'prod'] })).toMatchObject({ targets, configurations });
  });

  test('an unknown variable is an error, not a silent pass', () => {
    expect(() => parseNxCommand(['run', 'a:b', '-c', '$NOPE'], {})).toThrow(/no known values for \$NOPE/);
  });
});
