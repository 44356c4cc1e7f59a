// Runs the real docker-arm64-build executor (real runProcess, real engine) on a throw-away workspace.
import { logger, type ExecutorContext } from '@nx/devkit';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BuildRecord } from 'nx-agent-ecr/src/lib/records/build-record';
import { buildRecordPath } from 'nx-agent-ecr/src/lib/records/build-record';
import { runProcess, type RunResult } from 'nx-agent-ecr/src/lib/process';
import { dockerArm64BuildExecutor } from 'nx-agent-ecr/src/executors/docker-arm64-build/executor';
import { hostFacts } from 'nx-agent-ecr/src/lib/docker/machine';
import type { DockerArm64BuildExecutorSchema } from 'nx-agent-ecr/src/executors/docker-arm64-build/schema';
import { sh } from '../support/docker';

export const PROJECT_ROOT = 'apps/svc';

export interface BuildOutcome {
  success: boolean;
  /** Every logger line the executor wrote, prefixed with its level. */
  logs: string[];
  /** Results of the processes the executor ran (build output included). */
  runs: RunResult[];
}

export class TempWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), 'dab-e2e-'));
  private readonly images = new Set<string>();

  write(rel: string, text: string): void {
    mkdirSync(dirname(join(this.root, rel)), { recursive: true });
    writeFileSync(join(this.root, rel), text);
  }

  context(projectName = 'svc'): ExecutorContext {
    return {
      root: this.root,
      cwd: this.root,
      isVerbose: false,
      projectName,
      projectsConfigurations: {
        version: 2,
        projects: { [projectName]: { root: PROJECT_ROOT, targets: { 'docker-build': { executor: 'nx-agent-ecr:docker-arm64-build' } } } },
      },
      nxJsonConfiguration: {},
      projectGraph: { nodes: {}, dependencies: {} },
    };
  }

  /** The executor as Nx would call it, with the real process runner (wrapped only to keep a copy of the results). */
  async build(options: DockerArm64BuildExecutorSchema): Promise<BuildOutcome> {
    const logs: string[] = [];
    const runs: RunResult[] = [];
    const spies = (['info', 'warn', 'error'] as const).map((level) => {
      const original = logger[level].bind(logger);
      return jest.spyOn(logger, level).mockImplementation((...message: unknown[]) => {
        const line = message.map(String).join(' ');
        logs.push(`${level}: ${line}`);
        original(line);
      });
    });
    try {
      const { success } = await dockerArm64BuildExecutor(options, this.context(), {
        run: async (file, args, runOptions) => {
          const result = await runProcess(file, args, runOptions);
          runs.push(result);
          return result;
        },
        machine: hostFacts,
        now: () => new Date(),
        env: process.env,
      });
      const record = this.recordOrUndefined();
      record?.localTags.forEach((tag) => this.images.add(tag));
      return { success, logs, runs };
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
  }

  record(): BuildRecord {
    const record = this.recordOrUndefined();
    if (!record) throw new Error(`no build record at ${buildRecordPath(this.root, PROJECT_ROOT)}`);
    return record;
  }

  private recordOrUndefined(): BuildRecord | undefined {
    try {
      return JSON.parse(readFileSync(buildRecordPath(this.root, PROJECT_ROOT), 'utf8')) as BuildRecord;
    } catch {
      return undefined;
    }
  }

  track(image: string): void {
    this.images.add(image);
  }

  /** Removes the workspace and every image tag the builds created. */
  dispose(): void {
    if (this.images.size > 0) sh('docker', ['image', 'rm', '-f', ...this.images]);
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * Entries of a `docker save` archive (and of every layer inside it, gunzipped when compressed) whose bytes contain
 * `needle`; `scanned` counts the layer archives looked into, so a test can tell "absent" from "not looked at".
 */
export function findInSavedImage(archive: Buffer, needle: string): { hits: string[]; scanned: number } {
  const hits: string[] = [];
  let scanned = 0;
  for (const entry of tarEntries(archive)) {
    if (entry.data.includes(needle)) hits.push(entry.name);
    if (/(^|\/)layer\.tar$|^blobs\/sha256\//.test(entry.name) && entry.data.length > 0) {
      const layer = entry.data[0] === 0x1f && entry.data[1] === 0x8b ? gunzipSync(entry.data) : entry.data;
      if (!isTar(layer)) continue;
      scanned++;
      for (const file of tarEntries(layer)) if (file.data.includes(needle)) hits.push(`${entry.name}:${file.name}`);
    }
  }
  return { hits, scanned };
}

function isTar(buffer: Buffer): boolean {
  return buffer.length >= 512 && buffer.subarray(257, 262).toString() === 'ustar';
}

function* tarEntries(buffer: Buffer): Generator<{ name: string; data: Buffer }> {
  let offset = 0;
  while (offset + 512 <= buffer.length) {
    const header = buffer.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) return;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    yield { name, data: buffer.subarray(offset + 512, offset + 512 + size) };
    offset += 512 + Math.ceil(size / 512) * 512;
  }
}
