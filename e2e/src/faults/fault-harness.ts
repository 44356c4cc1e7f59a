// The fault suite's shared pieces: one local-ecr per file with the SDK of this process pointed at it, the busybox
// workspace of the ecr-push suite, the after-state checks every case makes (tags consistent, one error line, a
// re-run converges) and a real ecr-push child process for signal and kill cases.
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { EcrPushExecutorSchema } from 'nx-agent-ecr/src/executors/ecr-push/schema';
import { sh } from '../support/docker';
import { ecrClientFor, useLocalEcr, type LocalEcr } from '../support/local-ecr';
import { workspaceRoot } from '../support/toolchain';
import { PushWorkspace, useEnv, type Run } from '../ecr-push/harness';

export { PushWorkspace, type Run };

// testTimeout in a jest `projects` entry is ignored, so real-engine suites set their own.
jest.setTimeout(10 * 60_000);

const ENVIRONMENT = { dev: { environment: 'dev' } };

/** Registers local-ecr for the file, points this process's SDK at it, and clears faults after every case. */
export function useFaultSuite(): () => LocalEcr {
  const localEcr = useLocalEcr();
  let restore: () => void = () => undefined;
  beforeAll(() => {
    restore = useEnv(localEcr().env);
  });
  afterEach(async () => {
    await localEcr().faults.clear();
  });
  afterAll(() => restore());
  return localEcr;
}

export const devRepo = (ws: PushWorkspace) => `e2e-dev-${ws.project}`;

/** tag → digest, as DescribeImages lists them (no fault hooks fire: faults are cleared before this is asked). */
export async function tagsIn(ecr: LocalEcr, repositoryName: string): Promise<Record<string, string>> {
  const answer = await ecrClientFor(ecr)
    .send(new DescribeImagesCommand({ repositoryName }))
    .catch((error: Error) => (error.name === 'RepositoryNotFoundException' ? { imageDetails: [] } : Promise.reject(error)));
  return Object.fromEntries(
    (answer.imageDetails ?? []).flatMap((detail) => (detail.imageTags ?? []).map((tag) => [tag, detail.imageDigest ?? ''])),
  );
}

/**
 * The invariant of every case: `latest`, where it exists, names an image that also carries its git-sha tag and its
 * content tag — never a `latest` without the tags that say what it is.
 */
export function expectTagsConsistent(tags: Record<string, string>): void {
  const latest = tags['latest'];
  if (!latest) return;
  const onLatest = Object.keys(tags).filter((tag) => tags[tag] === latest);
  expect(onLatest).toEqual(
    expect.arrayContaining([expect.stringMatching(/^content-[0-9a-f]{24}$/), expect.stringMatching(/^[0-9a-f]{7,}$/)]),
  );
}

/** Fails with the run's whole output when it did not succeed (toMatchObject would show only `success`). */
export function expectSuccess(run: Run): void {
  if (!run.success) throw new Error(`the run failed:\n${run.logs.join('\n')}`);
}

/** The run's error lines: a failure says what is wrong in exactly one. */
export const errorLines = (run: Run) => run.logs.filter((line) => line.startsWith('error:'));

/** What a re-run after a fault must give: success, every tag of this commit on one digest, `latest` among them. */
export async function expectConverged(ecr: LocalEcr, ws: PushWorkspace, sha: string): Promise<Record<string, string>> {
  const rerun = await ws.push();
  expect(rerun).toMatchObject({ success: true });
  const tags = await tagsIn(ecr, devRepo(ws));
  const record = ws.pushRecord();
  expect(record.outcome).not.toBe('failed');
  expect(record.tags.map((tag) => tags[tag])).toEqual(record.tags.map(() => record.digest));
  expect(tags['latest']).toBe(record.digest);
  expect(tags[sha]).toBe(record.digest);
  expectTagsConsistent(tags);
  return tags;
}

/** An ecr-push task in its own process (push-runner.ts), as Nx runs one: its output, its exit, its temp folder. */
export class PushProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  readonly child: ChildProcess;

  constructor(
    ws: PushWorkspace,
    ecr: LocalEcr,
    options: EcrPushExecutorSchema = {},
    readonly tmp = mkdtempSync(join(tmpdir(), 'fault-tmp-')),
  ) {
    const file = join(tmp, '..', `${tmp.split('/').pop()}-context.json`);
    writeFileSync(file, JSON.stringify({ context: ws.context('dev'), options: { projectName: 'e2e', ...ENVIRONMENT.dev, ...options } }));
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'push-runner.ts'), file], {
      cwd: workspaceRoot,
      // Its own TMPDIR: what the run leaves behind (a login folder holds a registry token) is visible and only its.
      env: { ...process.env, ...ecr.env, TMPDIR: tmp, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Whole lines only: docker writes a progress line in pieces ("a32be772f18a: ", then "Preparing\n"), and a read
    // under load can end between them.
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => line && this.output.push(line));
    }
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  }

  /** Resolves once a line matches (or rejects after `timeoutMs`, with the output so far). */
  async waitFor(pattern: RegExp, timeoutMs = 120_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.output.some((line) => pattern.test(line))) {
      const ended = this.child.exitCode !== null ? `the process exited (code ${this.child.exitCode})` : null;
      if (ended || Date.now() > until) {
        // The cause first and the last lines next: CI shows the start of a long message.
        const why = ended ?? `nothing in ${timeoutMs} ms`;
        throw new Error(`no line matched ${pattern}: ${why}; last lines:\n${this.output.slice(-30).join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The plugin's temp folders left in this process's TMPDIR (login configs hold registry tokens). */
  leftovers(): string[] {
    return readdirSync(this.tmp).filter((name) => name.startsWith('nx-agent-ecr-'));
  }
}

/** Every process whose command line names `needle` (e.g. a docker push of a repository), from `ps`. */
export function processesNaming(needle: string): string[] {
  return sh('ps', ['-eo', 'pid=,args='])
    .stdout.split('\n')
    .filter((line) => line.includes(needle) && !line.includes('ps -eo'));
}
