// Runs the plugin's agent-service generator (the code `nx g agent-service` runs) for many services in one process.
import { createRequire } from 'node:module';
import { join } from 'node:path';

// The Python templates in rotation, and the shared libs the seeds' services of that kind use.
const TEMPLATES = [
  { template: 'snowflake-cortex', libs: [] },
  { template: 'aws-agent-core', libs: ['agent-common'] },
  { template: 'langgraph', libs: ['agent-common'] },
];

export const serviceName = (i) => `svc-${String(i + 1).padStart(2, '0')}`;

/**
 * Generates `count` services into the workspace at `root` with the given base image, through Nx's file tree
 * (one process instead of `count` × Nx start-up). Returns [{ name, template, libs }].
 */
export async function generateServices(root, count, baseImage) {
  const require = createRequire(join(root, 'package.json'));
  const { FsTree, flushChanges } = require('nx/src/generators/tree');
  // The compiled generator, as `nx g` runs it (the scratch copy compiled the plugin).
  const { agentServiceGenerator } = require('nx-agent-ecr/dist/generators/agent-service/generator.js');
  const tree = new FsTree(root, false);
  const services = [];
  for (let i = 0; i < count; i++) {
    const { template, libs } = TEMPLATES[i % TEMPLATES.length];
    const name = serviceName(i);
    await agentServiceGenerator(tree, { name, template, libs, baseImage, skipFormat: true });
    services.push({ name, template, libs });
  }
  flushChanges(root, tree.listChanges());
  return services;
}
