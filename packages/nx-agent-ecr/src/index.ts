// Public entry of the plugin: graph inference. Register it in nx.json ("plugins": ["nx-agent-ecr"]).
// Every Nx command runs this, so it loads nothing heavy (no @nx/devkit runtime, AWS SDK or execa; the Dockerfile
// parser only when a Dockerfile changed) and reuses its answers while the files they came from are unchanged.
import type { CreateDependencies, CreateNodes } from '@nx/devkit';
import { withInferenceCache } from './lib/graph/cache-file';
import { inferImageDependencies, projectReferences } from './lib/graph/infer-dependencies';
import { inferImageTargets } from './lib/graph/infer-targets';
import { diskWorkspaceFiles } from './lib/workspace-files';
import { PLUGIN_NAME } from './lib/records/names';

export const name = PLUGIN_NAME;

/**
 * Gives every docker-arm64-build target the inputs that decide its image (Dockerfile, ignore file, the context
 * paths its COPY/ADD read, minus what the ignore file drops: lib/docker/context.ts, which the content tag hashes
 * too), every ecr-push target the build's outputs as its only input (and its record as its output), every
 * ecs-deploy / agentcore-deploy target its deploy file and the outputs of the pushes it waits for, and the project
 * the image's file set as the named input `dockerContext`. Nx 24 selects affected tasks by these inputs, so
 * `nx affected -t ecr-push` and `-t deploy` are exact. The plugin is their one owner: the generator writes none,
 * and inputs written in project.json would win.
 */
export const createNodes: CreateNodes = [
  '**/project.json',
  (projectJsonFiles, _options, context) => {
    const files = diskWorkspaceFiles(context.workspaceRoot);
    return withInferenceCache(context.workspaceRoot, 'nodes', (cache) =>
      projectJsonFiles.map((file) => [file, cache.get(file, files, (read) => inferImageTargets(file, read))] as const),
    );
  },
];

/** Nx 23 reads the v2 API under this name; Nx 24 prefers `createNodes`. */
export const createNodesV2 = createNodes;

/** A service depends on the libs its Dockerfile copies in and its requirements name by local path. */
export const createDependencies: CreateDependencies = (_options, context) => {
  const files = diskWorkspaceFiles(context.workspaceRoot);
  return withInferenceCache(context.workspaceRoot, 'dependencies', (cache) =>
    inferImageDependencies(context, files, (project, spec) =>
      cache.get(`${project}\0${JSON.stringify(spec)}`, files, (read) => projectReferences(spec, read)),
    ),
  );
};
