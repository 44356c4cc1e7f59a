// The benchmark's workspaces: a scratch copy of this workspace holding N generated services with a vendored payload.
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { commitAll, createScratchWorkspace, git } from '../../lib/scratch-workspace.mjs';
import { generateServices } from './generate-services.mjs';

/** Build args of an offline build: Debian's packages in the base stand in for the package index. */
export const OFFLINE_BUILD_ARGS = { OFFLINE: 'true' };

function setBuildArgs(root, name) {
  const file = join(root, 'apps', name, 'project.json');
  const project = JSON.parse(readFileSync(file, 'utf8'));
  project.targets['docker-build'].options = { ...project.targets['docker-build'].options, buildArgs: OFFLINE_BUILD_ARGS };
  writeFileSync(file, `${JSON.stringify(project, null, 2)}\n`);
}

/**
 * The plugin as a user's workspace has it: installed in node_modules (the files its package.json publishes), where
 * this monorepo links its own source project instead. Nx treats a plugin found outside node_modules as a local one:
 * every executor process then loads TypeScript to look for the schema in its sources (about 0.3 s;
 * nx/src/config/schema-utils.js), which an installed plugin never pays.
 */
export function installPluginAsPackage(root) {
  const source = join(root, 'packages', 'nx-agent-ecr');
  const installed = join(root, 'node_modules', 'nx-agent-ecr');
  rmSync(installed, { recursive: true, force: true }); // the npm-workspace link (a link: nothing behind it is removed)
  mkdirSync(installed);
  const { files } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  for (const entry of ['package.json', ...files]) cpSync(join(source, entry), join(installed, entry), { recursive: true });
  // Its dependencies that npm did not hoist, as an install would nest them.
  if (existsSync(join(source, 'node_modules'))) symlinkSync(realpathSync(join(source, 'node_modules')), join(installed, 'node_modules'));
}

/**
 * Creates `dest` as a scratch copy without the repository's own services (they need a package index), with the
 * plugin installed as a package, generates `count` services FROM `baseImage`, vendors `payloadDir` into each one's
 * src/vendor (hard links), and commits.
 */
export async function createBenchWorkspace({ dest, count, baseImage, payloadDir }) {
  createScratchWorkspace({ dest, replace: true });
  installPluginAsPackage(dest);
  for (const app of readdirSync(join(dest, 'apps'))) rmSync(join(dest, 'apps', app), { recursive: true, force: true });
  const services = await generateServices(dest, count, baseImage);
  for (const { name } of services) {
    setBuildArgs(dest, name);
    execFileSync('cp', ['-al', payloadDir, join(dest, 'apps', name, 'src', 'vendor')]);
  }
  commitAll(dest, `bench: ${count} generated services`);
  return { root: dest, services };
}

/** Changes one source file of `service` (unique per call, so every run has new content) and commits it. */
export function changeOneFile(root, service, marker) {
  appendFileSync(join(root, 'apps', service, 'src', 'app', 'main.py'), `# bench change ${marker}\n`);
  return commitAll(root, `bench: change ${service} (${marker})`);
}

export const shortSha = (root) => git(root, ['rev-parse', '--short', 'HEAD']).trim();
