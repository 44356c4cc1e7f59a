import { collectLocalRequirements, logicalLines, parseRequirementsLine } from './requirements';

describe('parseRequirementsLine', () => {
  test.each([
    ['-e ../../libs/agent-common', ['../../libs/agent-common'], []],
    ['--editable=../../libs/agent-common', ['../../libs/agent-common'], []],
    ['./libs/agent-common', ['./libs/agent-common'], []],
    ['../libs/x[extra]', ['../libs/x'], []],
    ['agent-common @ file:../../libs/agent-common', ['../../libs/agent-common'], []],
    ['agent-common[x] @ file:///work/libs/agent-common', ['/work/libs/agent-common'], []],
    ['./libs/x ; python_version >= "3.10"', ['./libs/x'], []],
    ['-e ./libs/x#egg=x', ['./libs/x'], []],
    ['-r base.txt', [], ['base.txt']],
    ['--requirement=../shared/requirements.txt', [], ['../shared/requirements.txt']],
    ['-c constraints.txt', [], ['constraints.txt']],
    ['fastapi==0.110', [], []],
    ['uvicorn[standard]>=0.29', [], []],
    ['pkg @ https://example.com/pkg.whl', [], []],
    ['-e git+https://github.com/o/r.git#egg=r', [], []],
    ['--index-url https://pypi.example/simple', [], []],
  ])('%s', (line, localPaths, includes) => {
    expect(parseRequirementsLine(line)).toEqual({ localPaths, includes });
  });
});

describe('logicalLines', () => {
  test('joins continuations and drops comments and blank lines', () => {
    expect(logicalLines('# c\nfastapi \\\n  ==0.110  # pinned\n\n-e ../x\n')).toEqual(['fastapi    ==0.110', '-e ../x']);
  });
});

describe('collectLocalRequirements', () => {
  const files: Record<string, string> = {
    'apps/svc/requirements.txt': '-r requirements/base.txt\n-e ../../libs/one\nfastapi\n',
    'apps/svc/requirements/base.txt': '-c ../constraints.txt\n-r base.txt\nagent-two @ file:../../../libs/two\n',
    'apps/svc/constraints.txt': './libs/three\n',
  };
  const read = (file: string) => files[file];

  test('follows -r and -c includes depth-first, relative to the including file, once each', () => {
    expect(collectLocalRequirements('apps/svc/requirements.txt', read)).toEqual([
      { file: 'apps/svc/constraints.txt', raw: './libs/three' },
      { file: 'apps/svc/requirements/base.txt', raw: '../../../libs/two' },
      { file: 'apps/svc/requirements.txt', raw: '../../libs/one' },
    ]);
  });

  test('a missing file yields nothing', () => {
    expect(collectLocalRequirements('apps/none/requirements.txt', read)).toEqual([]);
  });
});
