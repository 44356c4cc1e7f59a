// createDependencies: a service depends on the projects its Dockerfile copies from and its requirements name.
import { dirname, join, relative, isAbsolute } from 'node:path/posix';
import { DependencyType, type CreateDependenciesContext, type RawProjectGraphDependency } from '@nx/devkit';
import { readDockerContext, staticSegments } from '../docker/context';
import { normalizeContextPath } from '../docker/dockerfile-sources';
import { imageBuilds } from './image-targets';
import { projectOwnerLookup } from './project-owner';
import { collectLocalRequirements } from './requirements';
import type { WorkspaceFiles } from '../workspace-files';

type Context = Pick<CreateDependenciesContext, 'projects' | 'fileMap' | 'workspaceRoot'>;

const REQUIREMENTS_FILE = /(^|\/)(requirements|constraints)[^/]*\.(txt|in)$/;

/** Where a local requirement path points: beside its file, else in the build context, else at the workspace root. */
function resolveRequirementPath(
  raw: string,
  file: string,
  contextDirs: string[],
  workspaceRoot: string,
  files: WorkspaceFiles,
): string | undefined {
  if (isAbsolute(raw)) {
    const inside = relative(workspaceRoot, raw);
    return inside.startsWith('..') ? undefined : normalizeContextPath(inside);
  }
  const candidates = [join(dirname(file), raw), ...contextDirs.map((dir) => join(dir, raw)), raw].map(normalizeContextPath);
  return candidates.find((candidate) => !candidate.startsWith('..') && files.exists(candidate));
}

/** Static dependencies of every image project on the projects whose files its image takes in. */
export function inferImageDependencies(context: Context, files: WorkspaceFiles): RawProjectGraphDependency[] {
  const owner = projectOwnerLookup(Object.fromEntries(Object.entries(context.projects).map(([name, p]) => [name, p.root])));
  const dependencies = new Map<string, RawProjectGraphDependency>();
  for (const [name, project] of Object.entries(context.projects)) {
    const projectRoot = normalizeContextPath(project.root);
    const ownFiles = new Set((context.fileMap.projectFileMap[name] ?? []).map((file) => file.file));
    const builds = imageBuilds(projectRoot, project.targets, ownFiles.has(`${projectRoot}/Dockerfile`));
    if (builds.length === 0) continue;
    // A static dependency must name a file of its source project; project.json stands in for one outside it.
    const fallback = [...ownFiles].find((file) => file === `${projectRoot}/project.json`) ?? [...ownFiles][0];
    const add = (path: string, sourceFile: string) => {
      const target = owner(path);
      const file = ownFiles.has(sourceFile) ? sourceFile : fallback;
      if (!target || target === name || !file) return;
      dependencies.set(`${name}\0${target}\0${file}`, { source: name, target, type: DependencyType.static, sourceFile: file });
    };
    for (const build of builds) {
      for (const source of readDockerContext(build, files).sources) {
        add(staticSegments(normalizeContextPath(join(build.contextDir, source.path))).join('/'), build.dockerfile);
      }
    }
    const contextDirs = [...new Set(builds.map((build) => build.contextDir))];
    for (const requirementsFile of [...ownFiles].filter((file) => REQUIREMENTS_FILE.test(file))) {
      for (const { file, raw } of collectLocalRequirements(requirementsFile, (f) => files.read(f))) {
        const path = resolveRequirementPath(raw, file, contextDirs, context.workspaceRoot, files);
        if (path !== undefined) add(path, ownFiles.has(file) ? file : requirementsFile);
      }
    }
  }
  return [...dependencies.values()];
}
