// Regenerates the committed services under apps/ with the agent-service generator, from the options each records in
// its project.json (metadata.generatedBy), so they are never edited by hand. generators/agent-service/drift.spec.ts
// checks the result byte for byte.
//   node -r @swc-node/register tools/regenerate-apps.ts [--default-base-image]
//     --default-base-image  drop the recorded baseImage, so the generator's current pinned default applies
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { agentServiceGenerator } from 'nx-agent-ecr/src/generators/agent-service/generator';
import { GENERATOR_ID, type GeneratorRecord } from 'nx-agent-ecr/src/generators/agent-service/project-config';

const root = join(__dirname, '..');
const defaultBaseImage = process.argv.includes('--default-base-image');

function records(): GeneratorRecord[] {
  return readdirSync(join(root, 'apps'))
    .map((dir) => join(root, 'apps', dir, 'project.json'))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')).metadata?.generatedBy as GeneratorRecord | undefined)
    .filter((record): record is GeneratorRecord => record?.generator === GENERATOR_ID);
}

async function main(): Promise<void> {
  const services = records();
  // Every folder goes first: the generator refuses to write over an existing project or folder.
  for (const { options } of services) rmSync(join(root, options.directory), { recursive: true, force: true });
  const tree = new FsTree(root, false);
  for (const { options } of services) {
    const { baseImage, ...rest } = options;
    await agentServiceGenerator(tree, { ...rest, ...(defaultBaseImage ? {} : { baseImage }), skipFormat: true });
    console.log(`regenerated ${options.directory}`);
  }
  flushChanges(root, tree.listChanges());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
