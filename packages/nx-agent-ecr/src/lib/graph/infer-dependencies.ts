// createDependencies: a service depends on the projects its Dockerfile copies from and its requirements name.
import { dirname, join, relative, isAbsolute } from 'node:path/posix';
import type { CreateDependenciesContext, DependencyType, ProjectConfiguration, RawProjectGraphDependency } from '@nx/devkit';
import { readDockerContext, staticSegments } from '../docker/context';
import { normalizeContextPath } from '../docker/dockerfile-sources';
import { imageBuilds, type ImageBuild } from './image-targets';
import { projectOwnerLookup } from './project-owner';
import { collectLocalRequirements } from './requirements';
import type { WorkspaceFiles } from '../workspace-files';

type Context = Pick<CreateDependenciesContext, 'projects' | 'fileMap' | 'workspaceRoot'>;

/** DependencyType.static, without loading @nx/devkit's runtime (hundreds of modules) into graph inference. */
const STATIC = 'static' as DependencyType.static;

const REQUIREMENTS_FILE = /(^|\/)(requirements|constraints)[^/]*\.(txt|in)$/;

/** A workspace path a project's image takes in, and the files that say so (the first of the project's own is named). */
export interface Reference {
  path: string;
  sourceFiles: string[];
}

/** What one project's references depend on besides file contents: its builds and its requirements files. */
export interface ReferenceSpec {
  builds: ImageBuild[];
  requirementsFiles: string[];
  workspaceRoot: string;
}

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

/** The build specs and requirements files of one project: the key of its references (cheap, read from the graph). */
export function referenceSpec(name: string, project: ProjectConfiguration, context: Context): ReferenceSpec | undefined {
  const projectRoot = normalizeContextPath(project.root);
  const ownFiles = (context.fileMap.projectFileMap[name] ?? []).map((file) => file.file);
  const builds = imageBuilds(projectRoot, project.targets, ownFiles.includes(`${projectRoot}/Dockerfile`));
  if (builds.length === 0) return undefined;
  return { builds, requirementsFiles: ownFiles.filter((file) => REQUIREMENTS_FILE.test(file)), workspaceRoot: context.workspaceRoot };
}

/** Every workspace path the project's images take in: Dockerfile sources and local requirement paths (reads files). */
export function projectReferences(spec: ReferenceSpec, files: WorkspaceFiles): Reference[] {
  const references: Reference[] = [];
  for (const build of spec.builds) {
    for (const source of readDockerContext(build, files).sources) {
      const path = staticSegments(normalizeContextPath(join(build.contextDir, source.path))).join('/');
      references.push({ path, sourceFiles: [build.dockerfile] });
    }
  }
  const contextDirs = [...new Set(spec.builds.map((build) => build.contextDir))];
  for (const requirementsFile of spec.requirementsFiles) {
    for (const { file, raw } of collectLocalRequirements(requirementsFile, (f) => files.read(f))) {
      const path = resolveRequirementPath(raw, file, contextDirs, spec.workspaceRoot, files);
      if (path !== undefined) references.push({ path, sourceFiles: [file, requirementsFile] });
    }
  }
  return references;
}

/**
 * Static dependencies of every image project on the projects whose files its image takes in. `referencesOf` reads
 * the files (graph inference hands in its cache); who owns a path is decided here, from this graph's projects.
 */
export function inferImageDependencies(
  context: Context,
  files: WorkspaceFiles,
  referencesOf: (name: string, spec: ReferenceSpec) => Reference[] = (_name, spec) => projectReferences(spec, files),
): RawProjectGraphDependency[] {
  const owner = projectOwnerLookup(Object.fromEntries(Object.entries(context.projects).map(([name, p]) => [name, p.root])));
  const dependencies = new Map<string, RawProjectGraphDependency>();
  for (const [name, project] of Object.entries(context.projects)) {
    const spec = referenceSpec(name, project, context);
    if (!spec) continue;
    const ownFiles = new Set((context.fileMap.projectFileMap[name] ?? []).map((file) => file.file));
    // A static dependency must name a file of its source project; project.json stands in for one outside it.
    const projectJson = `${normalizeContextPath(project.root)}/project.json`;
    const fallback = ownFiles.has(projectJson) ? projectJson : [...ownFiles][0];
    for (const { path, sourceFiles } of referencesOf(name, spec)) {
      const target = owner(path);
      const file = sourceFiles.find((candidate) => ownFiles.has(candidate)) ?? fallback;
      if (!target || target === name || !file) continue;
      dependencies.set(`${name}\0${target}\0${file}`, { source: name, target, type: STATIC, sourceFile: file });
    }
  }
  return [...dependencies.values()];
}
