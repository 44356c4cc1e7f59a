// Table tests of the buildx argument list: every option, and the version/driver gates.
import {
  buildxArgs,
  cacheType,
  formatCommand,
  isEcrHost,
  versionAtLeast,
  withEcrCacheAttributes,
  type BuildxFacts,
  type BuildxInput,
} from './buildx-args';

const base: BuildxInput = {
  dockerfile: 'apps/svc/Dockerfile',
  context: 'apps/svc',
  platforms: ['linux/arm64'],
  tags: ['svc:content-abc', 'svc:latest'],
  buildArgs: {},
  labels: {},
  secrets: [],
  cacheFrom: [],
  cacheTo: [],
  load: true,
  push: false,
  pull: false,
  noCache: false,
  provenance: false,
  sbom: false,
};
const modern: BuildxFacts = { buildxVersion: '0.13.1+ds1', driver: 'docker' };
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/svc';

describe('buildxArgs', () => {
  it('builds the default arm64 command: plain progress, file, platform, tags, load, attestations off, context last', () => {
    expect(buildxArgs(base, modern)).toEqual([
      'buildx',
      'build',
      '--progress=plain',
      '--file',
      'apps/svc/Dockerfile',
      '--platform',
      'linux/arm64',
      '--tag',
      'svc:content-abc',
      '--tag',
      'svc:latest',
      '--load',
      '--provenance=false',
      '--sbom=false',
      '--',
      'apps/svc',
    ]);
  });

  it('passes the context after --, so a folder named like a flag stays a path', () => {
    expect(buildxArgs({ ...base, context: '--push' }, modern).slice(-2)).toEqual(['--', '--push']);
  });

  // Each row: the option change, then the arguments it must add (in order, as a contiguous run).
  test.each<[string, Partial<BuildxInput>, BuildxFacts, string[]]>([
    [
      'platforms are joined with commas',
      { platforms: ['linux/arm64', 'linux/amd64'], load: false, push: true },
      modern,
      ['--platform', 'linux/arm64,linux/amd64'],
    ],
    [
      'each build arg becomes --build-arg NAME=VALUE',
      { buildArgs: { A: '1', B: 'x=y' } },
      modern,
      ['--build-arg', 'A=1', '--build-arg', 'B=x=y'],
    ],
    ['target selects a stage', { target: 'runtime' }, modern, ['--target', 'runtime']],
    [
      'each label becomes --label',
      { labels: { 'org.opencontainers.image.title': 'svc', a: 'b c' } },
      modern,
      ['--label', 'org.opencontainers.image.title=svc', '--label', 'a=b c'],
    ],
    [
      'each secret becomes --secret',
      { secrets: ['id=tok,env=TOKEN', 'id=npmrc,src=.npmrc'] },
      modern,
      ['--secret', 'id=tok,env=TOKEN', '--secret', 'id=npmrc,src=.npmrc'],
    ],
    [
      'cacheFrom, any backend',
      { cacheFrom: ['type=local,src=tmp/cache', 'type=registry,ref=r/c:cache'] },
      modern,
      ['--cache-from', 'type=local,src=tmp/cache', '--cache-from', 'type=registry,ref=r/c:cache'],
    ],
    [
      'cacheTo local passes through',
      { cacheTo: ['type=local,dest=tmp/cache,mode=max'] },
      modern,
      ['--cache-to', 'type=local,dest=tmp/cache,mode=max'],
    ],
    ['cacheTo inline passes through', { cacheTo: ['type=inline'] }, modern, ['--cache-to', 'type=inline']],
    [
      'cacheTo to ECR gets image-manifest and oci-mediatypes',
      { cacheTo: [`type=registry,ref=${ECR}:cache,mode=max`] },
      modern,
      ['--cache-to', `type=registry,ref=${ECR}:cache,mode=max,image-manifest=true,oci-mediatypes=true`],
    ],
    ['builder is named', { builder: 'arm' }, { ...modern, driver: 'remote' }, ['--builder', 'arm']],
    ['push without load', { load: false, push: true }, modern, ['--push']],
    [
      'push and load on a docker-container builder pass both',
      { push: true },
      { ...modern, driver: 'docker-container' },
      ['--load', '--push'],
    ],
    [
      'push and load on the docker driver pass --push only (it stores the image in the engine anyway)',
      { push: true },
      modern,
      ['--push', '--provenance=false'],
    ],
    ['pull', { pull: true }, modern, ['--pull']],
    ['noCache', { noCache: true }, modern, ['--no-cache']],
    ['provenance and sbom on', { provenance: true, sbom: true }, modern, ['--provenance=true', '--sbom=true']],
    ['metadata file', { metadataFile: '/tmp/x/metadata.json' }, modern, ['--metadata-file', '/tmp/x/metadata.json', '--', 'apps/svc']],
    ['an unprobed buildx (dry run) is assumed current', {}, {}, ['--provenance=false', '--sbom=false']],
    ['a v-prefixed version is understood', {}, { buildxVersion: 'v0.10.0' }, ['--provenance=false', '--sbom=false']],
  ])('%s', (_name, change, facts, expected) => {
    const args = buildxArgs({ ...base, ...change }, facts);
    expect(containsRun(args, expected)).toBe(true);
    expect(args.at(-1)).toBe(change.context ?? base.context);
  });

  test.each([['0.9.1'], ['v0.8.2']])('buildx %s (before 0.10) gets no --provenance/--sbom flags', (version) => {
    const args = buildxArgs(base, { buildxVersion: version, driver: 'docker' });
    expect(args.filter((a) => a.startsWith('--provenance') || a.startsWith('--sbom'))).toEqual([]);
  });

  test.each<[string, Partial<BuildxInput>, string]>([
    ['load false and push false passes no output flag', { load: false }, '--load'],
    ['no push by default', {}, '--push'],
    ['no --pull by default', {}, '--pull'],
    ['no --no-cache by default', {}, '--no-cache'],
    ['no --target by default', {}, '--target'],
    ['no --builder by default', {}, '--builder'],
    ['no --metadata-file without one', {}, '--metadata-file'],
  ])('%s', (_name, change, absent) => {
    expect(buildxArgs({ ...base, ...change }, modern)).not.toContain(absent);
  });
});

describe('cache specs', () => {
  test.each([
    [`type=registry,ref=${ECR}:cache`, `type=registry,ref=${ECR}:cache,image-manifest=true,oci-mediatypes=true`],
    [`${ECR}:cache`, `type=registry,ref=${ECR}:cache,image-manifest=true,oci-mediatypes=true`],
    [`ref=${ECR}:cache,mode=max`, `type=registry,ref=${ECR}:cache,mode=max,image-manifest=true,oci-mediatypes=true`],
    [`type=registry,ref=${ECR}:c,image-manifest=false`, `type=registry,ref=${ECR}:c,image-manifest=false,oci-mediatypes=true`],
    [
      'type=registry,ref=123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/s:c',
      'type=registry,ref=123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/s:c,image-manifest=true,oci-mediatypes=true',
    ],
    ['type=registry,ref=127.0.0.1:5000/s:c', 'type=registry,ref=127.0.0.1:5000/s:c'],
    ['type=registry,ref=ghcr.io/o/s:c', 'type=registry,ref=ghcr.io/o/s:c'],
    ['type=local,dest=tmp/cache', 'type=local,dest=tmp/cache'],
    ['type=gha', 'type=gha'],
  ])('withEcrCacheAttributes(%s) = %s', (spec, expected) => {
    expect(withEcrCacheAttributes(spec)).toBe(expected);
  });

  test.each([
    ['type=local,src=x', 'local'],
    ['type=inline', 'inline'],
    ['user/app:cache', 'registry'],
    ['ref=user/app:cache', 'registry'],
  ])('cacheType(%s) = %s', (spec, type) => expect(cacheType(spec)).toBe(type));

  test.each([
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', true],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', true],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', true],
    ['123456789012.dkr-ecr.us-east-1.on.aws', true],
    ['public.ecr.aws', false],
    ['127.0.0.1:5000', false],
    ['evil.com/123456789012.dkr.ecr.us-east-1.amazonaws.com', false],
  ])('isEcrHost(%s) = %s', (host, expected) => expect(isEcrHost(host)).toBe(expected));
});

describe('versionAtLeast / formatCommand', () => {
  test.each([
    ['0.13.1+ds1', '0.10.0', true],
    ['0.10.0', '0.10.0', true],
    ['v0.9.9', '0.10.0', false],
    ['1.0', '0.10.0', true],
    ['0.10.0-desktop.1', '0.10.0', true],
    [undefined, '0.10.0', true],
  ])('versionAtLeast(%s, %s) = %s', (version, minimum, expected) => {
    expect(versionAtLeast(version, minimum)).toBe(expected);
  });

  it('quotes arguments a shell would split, and leaves plain ones alone', () => {
    expect(formatCommand('docker', ['buildx', '--label', 'a=b c', "it's"])).toBe(`docker buildx --label 'a=b c' 'it'\\''s'`);
  });
});

function containsRun(haystack: string[], run: string[]): boolean {
  for (let i = 0; i + run.length <= haystack.length; i++) {
    if (run.every((item, j) => haystack[i + j] === item)) return true;
  }
  return false;
}
