// Where the real-engine suites find the toolchain that tools/toolchain/ sets up, and the base images it pushed.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const workspaceRoot = join(__dirname, '..', '..', '..');
export const baseRegistry = `127.0.0.1:${process.env.TOOLCHAIN_REGISTRY_PORT ?? '5000'}`;
export const busyboxBase = `${baseRegistry}/base/busybox:arm64`;
export const pythonBase = `${baseRegistry}/base/python:3.11-arm64`;

/** Runs the idempotent toolchain scripts; throws with their output when the machine cannot be made ready. */
export function ensureToolchain(): void {
  for (const script of ['setup.sh', 'base-images.sh']) {
    const result = spawnSync('bash', [join(workspaceRoot, 'tools', 'toolchain', script)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (result.status !== 0) {
      throw new Error(
        `tools/toolchain/${script} failed (exit ${result.status}); the real-engine suites cannot run.\n${result.stdout}\n${result.stderr}`,
      );
    }
  }
}
