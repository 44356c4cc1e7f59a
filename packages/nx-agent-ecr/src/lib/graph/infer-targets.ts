// createNodes: gives each image target the inputs that decide its image (read from its Dockerfile and ignore file),
// the targets that use the image (ecr-push, docker-run) the build's outputs, and each deploy target its deploy file
// and the pushes it waits for.
import { dirname } from 'node:path/posix';
import type { CreateNodesResult, TargetConfiguration } from '@nx/devkit';
import { readDockerContext } from '../docker/context';
import { normalizeContextPath } from '../docker/dockerfile-sources';
import { imageInputs } from './image-inputs';
import { EXECUTORS, IMAGE_NAMED_INPUT, recordOutput } from '../records/names';
import { inferDeployTargets } from './deploy-inputs';
import { imageBuilds, pushTargets, targetsUsing, type PushTarget } from './image-targets';
import type { WorkspaceFiles } from '../workspace-files';

type Input = NonNullable<TargetConfiguration['inputs']>[number];

/** No npm package decides an image: without this, Nx would hash every installed package into image targets. */
const NO_PACKAGES: Input = { externalDependencies: [] };

/**
 * ecr-push builds its image itself (through its build target), so its inputs are that build's: the files that reach
 * the image. A build target of another project brings that project's file set, the named input dockerContext.
 */
export function pushInputs(push: PushTarget, buildInputsByTarget: Map<string, Input[]>): Input[] {
  if (push.buildProject) return [{ input: IMAGE_NAMED_INPUT, projects: [push.buildProject] }, NO_PACKAGES];
  return buildInputsByTarget.get(push.buildTarget) ?? [NO_PACKAGES];
}

/** docker-run checks the image docker-build wrote against the contract in project.json: those, and nothing else. */
export const CHECK_INPUTS: Input[] = [{ dependentTasksOutputFiles: '**/*' }, '{projectRoot}/project.json', { externalDependencies: [] }];

/** Inputs for one build target: the union over the (Dockerfile, context) pairs its configurations use. */
function buildInputs(
  projectRoot: string,
  targetName: string,
  targets: Record<string, TargetConfiguration>,
  files: WorkspaceFiles,
): Input[] {
  const inputs: Input[] = [];
  const seen = new Set<string>();
  for (const build of imageBuilds(projectRoot, targets, false).filter((b) => b.target === targetName)) {
    const isFile = (path: string) => files.isFile([build.contextDir, path].filter((p) => p !== '').join('/'));
    for (const input of imageInputs({ ...readDockerContext(build, files), isFile })) {
      const key = JSON.stringify(input);
      if (!seen.has(key)) {
        seen.add(key);
        inputs.push(input);
      }
    }
  }
  // Files, then negations, then the rest, so the union of several builds still reads "these files, minus those".
  const patterns = inputs.filter((i): i is string => typeof i === 'string');
  return [
    ...patterns.filter((i) => !i.startsWith('!')),
    ...patterns.filter((i) => i.startsWith('!')),
    ...inputs.filter((i) => typeof i !== 'string'),
  ];
}

/** The inferred part of one project.json: inputs of its image and deploy targets, nothing when it has none. */
export function inferImageTargets(projectJsonFile: string, files: WorkspaceFiles): CreateNodesResult {
  const projectRoot = normalizeContextPath(dirname(projectJsonFile));
  const text = files.read(projectJsonFile);
  if (text === undefined) return {};
  let targets: Record<string, TargetConfiguration>;
  try {
    targets = (JSON.parse(text) as { targets?: Record<string, TargetConfiguration> }).targets ?? {};
  } catch {
    return {}; // Nx's own project.json plugin reports the syntax error.
  }
  const inferred: Record<string, TargetConfiguration> = {};
  const imageFiles: Input[] = [];
  const byTarget = new Map<string, Input[]>();
  for (const [name, target] of Object.entries(targets)) {
    if (target.executor !== EXECUTORS.build) continue;
    const inputs = buildInputs(projectRoot, name, targets, files);
    inferred[name] = { executor: EXECUTORS.build, inputs };
    byTarget.set(name, inputs);
    imageFiles.push(...inputs.filter((input) => !imageFiles.some((seen) => JSON.stringify(seen) === JSON.stringify(input))));
  }
  // The push record is declared as an output so that a task reading it (a deploy, through dependentTasksOutputFiles)
  // is affected exactly when the push is.
  for (const push of pushTargets(targets))
    inferred[push.name] = { executor: EXECUTORS.push, inputs: pushInputs(push, byTarget), outputs: [recordOutput('push')] };
  for (const name of targetsUsing(targets, EXECUTORS.run)) inferred[name] = { executor: EXECUTORS.run, inputs: CHECK_INPUTS };
  Object.assign(inferred, inferDeployTargets(projectRoot, targets));
  if (Object.keys(inferred).length === 0) return {};
  return {
    projects: {
      [projectRoot === '' ? '.' : projectRoot]: {
        // The same file set as a project-level named input, so targets written as inputs: ["dockerContext"]
        // (in project.json or nx.json targetDefaults, which win over inferred target inputs) stay exact too.
        ...(imageFiles.length > 0 ? { namedInputs: { [IMAGE_NAMED_INPUT]: imageFiles } } : {}),
        targets: inferred,
      },
    },
  };
}
