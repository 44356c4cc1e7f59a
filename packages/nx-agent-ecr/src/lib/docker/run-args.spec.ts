// Table tests of the docker argument lists a contract check runs.
import {
  dockerImageInspectArgs,
  dockerLogsArgs,
  dockerPortArgs,
  dockerRemoveArgs,
  dockerRunArgs,
  dockerStateArgs,
  type DockerRunInput,
} from './run-args';

const base: DockerRunInput = {
  image: 'svc:content-abc',
  platform: 'linux/arm64',
  name: 'nx-agent-ecr-check-svc-1',
  containerPort: 8080,
  env: {},
  labels: {},
};

describe('dockerRunArgs', () => {
  it('runs detached, never pulls, for the platform, with a unique name, publishing the port on loopback only, image last', () => {
    expect(dockerRunArgs(base)).toEqual([
      'run',
      '--detach',
      '--pull',
      'never',
      '--platform',
      'linux/arm64',
      '--name',
      'nx-agent-ecr-check-svc-1',
      '--publish',
      '127.0.0.1::8080',
      'svc:content-abc',
    ]);
  });

  test.each<[string, Partial<DockerRunInput>, string[]]>([
    [
      'each label becomes --label key=value',
      { labels: { 'nx-agent-ecr.contract-check': 'svc' } },
      ['--label', 'nx-agent-ecr.contract-check=svc'],
    ],
    [
      'each env entry becomes --env NAME=VALUE, in order',
      { env: { AGENT_BACKEND: 'stub', A: 'x=y' } },
      ['--env', 'AGENT_BACKEND=stub', '--env', 'A=x=y'],
    ],
    ['the contract port is what gets published', { containerPort: 9000 }, ['--publish', '127.0.0.1::9000']],
    ['another platform is passed as given', { platform: 'linux/amd64' }, ['--platform', 'linux/amd64']],
  ])('%s', (_name, change, expected) => {
    const args = dockerRunArgs({ ...base, ...change });
    const at = args.indexOf(expected[0] ?? '');
    expect(args.slice(at, at + expected.length)).toEqual(expected);
    expect(args.at(-1)).toBe(change.image ?? base.image);
  });

  it('never has --rm (the logs of a crashed container are read before the check removes it)', () => {
    expect(dockerRunArgs(base)).not.toContain('--rm');
  });
});

describe('the other docker calls of a check', () => {
  test.each<[string, string[], string[]]>([
    ['port', dockerPortArgs('c', 8080), ['port', 'c', '8080/tcp']],
    ['state', dockerStateArgs('c'), ['container', 'inspect', '--format', '{{json .State}}', 'c']],
    ['logs', dockerLogsArgs('c', 20), ['logs', '--tail', '20', 'c']],
    ['remove: forced, with its anonymous volumes', dockerRemoveArgs('c'), ['rm', '--force', '--volumes', 'c']],
    ['image inspect', dockerImageInspectArgs('svc:1'), ['image', 'inspect', '--format', '{{json .}}', 'svc:1']],
  ])('%s', (_name, args, expected) => expect(args).toEqual(expected));
});
