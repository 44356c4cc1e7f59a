import { DependencyType, type ProjectConfiguration } from '@nx/devkit';
import { inferImageDependencies } from './infer-dependencies';
import { CHECK_INPUTS, inferImageTargets, pushInputs } from './infer-targets';
import { memoryWorkspaceFiles } from '../workspace-files';

const buildTarget = (options: Record<string, string> = {}) => ({ executor: 'nx-agent-ecr:docker-arm64-build', options });
const pushTarget = { executor: 'nx-agent-ecr:ecr-push', dependsOn: ['docker-build'] };
const checkTarget = { executor: 'nx-agent-ecr:docker-run', dependsOn: ['docker-build'] };

const workspace: Record<string, string> = {
  'apps/uses-lib/project.json': JSON.stringify({ targets: { 'docker-build': buildTarget({ context: '.' }), 'ecr-push': pushTarget } }),
  'apps/uses-lib/Dockerfile':
    'FROM base\nCOPY libs/common /libs/common\nCOPY apps/uses-lib/requirements.txt ./\nCOPY apps/uses-lib/src ./src\n',
  'apps/uses-lib/Dockerfile.dockerignore': '*\n!libs/common\n!apps/uses-lib/requirements.txt\n!apps/uses-lib/src\nlibs/common/tests\n',
  'apps/uses-lib/requirements.txt': 'fastapi\n-r extra.txt\n',
  'apps/uses-lib/extra.txt': 'other @ file:../../libs/other\n',
  'apps/uses-lib/src/main.py': '',
  'apps/alone/project.json': JSON.stringify({ targets: { 'docker-build': buildTarget(), 'ecr-push': pushTarget, check: checkTarget } }),
  'apps/alone/Dockerfile': 'FROM base\nCOPY . .\n',
  'apps/alone/.dockerignore': 'tests\n',
  'apps/alone/requirements.txt': './vendor/pkg\n',
  'apps/alone/vendor/pkg/setup.py': '',
  'apps/bare/project.json': JSON.stringify({ targets: {} }),
  'apps/bare/Dockerfile': 'FROM base\nCOPY libs/common /c\n',
  'libs/common/project.json': JSON.stringify({ targets: { test: { command: 'pytest' } } }),
  'libs/common/common/__init__.py': '',
  'libs/other/project.json': '{}',
  'libs/other/other.py': '',
};
const files = memoryWorkspaceFiles(workspace);

describe('inferImageTargets', () => {
  test('a service with context "." gets its Dockerfile, ignore file and copied paths as inputs, and a named input', () => {
    const result = inferImageTargets('apps/uses-lib/project.json', files);
    const project = result.projects?.['apps/uses-lib'];
    const expected = [
      '{workspaceRoot}/apps/uses-lib/Dockerfile',
      '{workspaceRoot}/apps/uses-lib/Dockerfile.dockerignore',
      '{workspaceRoot}/libs/common',
      '{workspaceRoot}/libs/common/**/*',
      '{workspaceRoot}/apps/uses-lib/requirements.txt',
      '{workspaceRoot}/apps/uses-lib/src',
      '{workspaceRoot}/apps/uses-lib/src/**/*',
      '!{workspaceRoot}/libs/common/tests',
      '!{workspaceRoot}/libs/common/tests/**/*',
      { externalDependencies: [] },
    ];
    expect(project?.targets?.['docker-build']).toEqual({ executor: 'nx-agent-ecr:docker-arm64-build', inputs: expected });
    // ecr-push builds what it delivers, so it is affected exactly when its build target is.
    expect(project?.targets?.['ecr-push']).toEqual({
      executor: 'nx-agent-ecr:ecr-push',
      inputs: expected,
      outputs: ['{workspaceRoot}/dist/images/{projectRoot}/ecr-push.json'],
    });
    expect(project?.namedInputs).toEqual({ dockerContext: expected });
  });

  test("an ecr-push whose buildTarget is another project's gets that project's dockerContext", () => {
    const inputs = pushInputs({ name: 'ecr-push', buildProject: 'web', buildTarget: 'docker-build' }, new Map());
    expect(inputs).toEqual([{ input: 'dockerContext', projects: ['web'] }, { externalDependencies: [] }]);
  });

  test('a docker-run target checks the build output against the contract in project.json: those are its inputs', () => {
    const project = inferImageTargets('apps/alone/project.json', files).projects?.['apps/alone'];
    expect(project?.targets?.check).toEqual({ executor: 'nx-agent-ecr:docker-run', inputs: CHECK_INPUTS });
    expect(CHECK_INPUTS).toEqual([{ dependentTasksOutputFiles: '**/*' }, '{projectRoot}/project.json', { externalDependencies: [] }]);
  });

  test('a project without image targets gets nothing', () => {
    expect(inferImageTargets('libs/common/project.json', files)).toEqual({});
    expect(inferImageTargets('apps/bare/project.json', files)).toEqual({});
  });

  test('an unreadable or invalid project.json gets nothing (Nx reports it)', () => {
    expect(inferImageTargets('apps/none/project.json', files)).toEqual({});
    expect(inferImageTargets('x/project.json', memoryWorkspaceFiles({ 'x/project.json': '{' }))).toEqual({});
  });
});

describe('inferImageDependencies', () => {
  const project = (root: string): ProjectConfiguration => ({
    root,
    targets: JSON.parse(workspace[`${root}/project.json`]).targets,
  });
  const names = ['uses-lib', 'alone', 'bare', 'common', 'other'];
  const roots = ['apps/uses-lib', 'apps/alone', 'apps/bare', 'libs/common', 'libs/other'];
  const projects = Object.fromEntries(names.map((name, i) => [name, project(roots[i])]));
  const projectFileMap = Object.fromEntries(
    names.map((name, i) => [
      name,
      Object.keys(workspace)
        .filter((file) => file.startsWith(`${roots[i]}/`))
        .map((file) => ({ file, hash: '0' })),
    ]),
  );
  const context = { projects, fileMap: { projectFileMap, nonProjectFiles: [] }, workspaceRoot: '/ws' };

  test('services depend on the libs their Dockerfile copies and requirements name; paths resolve in the context, nothing on itself', () => {
    const dependencies = inferImageDependencies(context, files);
    expect(dependencies).toEqual([
      { source: 'uses-lib', target: 'common', type: DependencyType.static, sourceFile: 'apps/uses-lib/Dockerfile' },
      { source: 'uses-lib', target: 'other', type: DependencyType.static, sourceFile: 'apps/uses-lib/extra.txt' },
    ]);
  });
});
