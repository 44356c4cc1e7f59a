// The workspace's Renovate config, written by the generator so that generated services get update PRs: pinned pip
// requirements by version, Dockerfile base images by digest, one group (one PR) per template.
import { getProjects, logger, type Tree } from '@nx/devkit';
import { GENERATOR_ID, type GeneratorRecord } from './project-config';
import { TEMPLATE_NAMES } from './templates';

export const RENOVATE_FILE = 'renovate.json';
/** Renovate reads the first of these it finds; a user's own config in any of them is left alone. */
const OTHER_RENOVATE_FILES = [
  'renovate.json5',
  '.github/renovate.json',
  '.github/renovate.json5',
  '.gitlab/renovate.json',
  '.renovaterc',
  '.renovaterc.json',
];
const MARKER = 'Written by nx g nx-agent-ecr:agent-service';

/** The services a workspace holds, as the generator records them in project.json. */
export function generatedServices(tree: Tree): GeneratorRecord[] {
  return [...getProjects(tree).values()]
    .map((project) => project.metadata?.['generatedBy'] as GeneratorRecord | undefined)
    .filter((record): record is GeneratorRecord => record?.generator === GENERATOR_ID);
}

/** renovate.json for these services, as text; a pure function of the records (the drift test regenerates it). */
export function renovateConfig(services: GeneratorRecord[]): string {
  const byTemplate = TEMPLATE_NAMES.map((template) => ({
    template,
    folders: services
      .filter((s) => s.options.template === template)
      .map((s) => `${s.options.directory}/**`)
      .sort(),
  })).filter((group) => group.folders.length > 0);

  const config = {
    $schema: 'https://docs.renovatebot.com/renovate-schema.json',
    description: [
      `${MARKER}: regenerated whenever a service is generated, so edit the generator's pins rather than this file.`,
      'Generated services pin every pip requirement (==) and every Dockerfile base image; Renovate proposes the updates.',
    ],
    extends: ['config:recommended'],
    packageRules: [
      {
        description: 'Base images (ARG BASE_IMAGE defaults used in FROM) are pinned by digest as well as by tag.',
        matchManagers: ['dockerfile'],
        pinDigests: true,
      },
      ...byTemplate.map(({ template, folders }) => ({
        description: `Services generated from the ${template} template: their requirements and base images update together.`,
        matchManagers: ['pip_requirements', 'dockerfile'],
        matchFileNames: folders,
        groupName: `${template} services`,
      })),
    ],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Writes renovate.json for every generated service, unless the workspace configures Renovate itself. */
export function writeRenovateConfig(tree: Tree): void {
  const foreign = OTHER_RENOVATE_FILES.find((file) => tree.exists(file));
  const own = tree.read(RENOVATE_FILE, 'utf-8');
  if (foreign || (own !== null && !own.includes(MARKER))) {
    logger.warn(
      `${foreign ?? RENOVATE_FILE} is your own Renovate config, so it was left as it is. To group the generated services' ` +
        `updates, add a packageRule per template with matchFileNames (see the nx-agent-ecr README, "Staying current").`,
    );
    return;
  }
  tree.write(RENOVATE_FILE, renovateConfig(generatedServices(tree)));
}
