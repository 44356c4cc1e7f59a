// Runs the real docker-arm64-build and ecr-push executors in-process against local-ecr and the real engine.
import { logger, type ExecutorContext } from '@nx/devkit';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dockerArm64BuildExecutor } from 'nx-agent-ecr/src/executors/docker-arm64-build/executor';
import { ecrPushExecutor, type EcrPushDeps } from 'nx-agent-ecr/src/executors/ecr-push/executor';
import type { EcrPushExecutorSchema } from 'nx-agent-ecr/src/executors/ecr-push/schema';
import { buildRecordPath, type BuildRecord } from 'nx-agent-ecr/src/lib/records/build-record';
import { ecrPushRecordPath, type EcrPushRecord } from 'nx-agent-ecr/src/lib/records/ecr-push-record';
import { sh } from '../support/docker';
import { busyboxBase, workspaceRoot } from '../support/toolchain';

export const PROJECT_ROOT = 'apps/agent';
const ENVIRONMENTS = { dev: { environment: 'dev' }, staging: { environment: 'staging' }, prod: { environment: 'prod' } };
type Configurations = Record<keyof typeof ENVIRONMENTS, EcrPushExecutorSchema>;

export interface Run {
  success: boolean;
  logs: string[];
  seconds: number;
}

/** A throw-away workspace holding one service whose image is FROM the local busybox base. */
export class PushWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), 'ecr-push-e2e-'));
  /** Unique per run, so images of parallel suites never collide in the shared engine. */
  readonly project: string = `agent${process.pid}${Date.now().toString(36)}`;

  /**
   * `configurations` replace the ecr-push target's dev/staging/prod configurations (e.g. a prod that promotes across
   * accounts); `cloneOf`: a second checkout (git clone) of that workspace, for the same project — another pipeline's machine.
   */
  constructor(
    private readonly pushOptions: EcrPushExecutorSchema = { projectName: 'e2e' },
    private readonly configurations: Configurations = ENVIRONMENTS,
    cloneOf?: PushWorkspace,
  ) {
    if (cloneOf) {
      this.project = cloneOf.project;
      this.git('clone', '-q', cloneOf.root, '.');
      mkdirSync(join(this.root, 'node_modules'));
      symlinkSync(join(workspaceRoot, 'packages', 'nx-agent-ecr'), join(this.root, 'node_modules', 'nx-agent-ecr'));
      return;
    }
    this.write('package.json', JSON.stringify({ name: 'e2e-workspace' }));
    this.write('.gitignore', 'node_modules\ndist\n');
    // ecr-push reads its build target's options as Nx does (readTargetOptions), which resolves the plugin from here.
    mkdirSync(join(this.root, 'node_modules'));
    symlinkSync(join(workspaceRoot, 'packages', 'nx-agent-ecr'), join(this.root, 'node_modules', 'nx-agent-ecr'));
    this.write(`${PROJECT_ROOT}/Dockerfile`, `FROM ${busyboxBase}\nCOPY app.txt /app/app.txt\nCMD ["cat", "/app/app.txt"]\n`);
    this.write(`${PROJECT_ROOT}/app.txt`, 'hello from the agent\n');
    this.git('init', '-q');
    this.commitAll('initial');
  }

  /** Commits everything; returns the short sha, the tag ecr-push adds by default. */
  commitAll(message: string): string {
    this.git('add', '-A');
    this.git(
      '-c',
      'user.name=e2e',
      '-c',
      'user.email=e2e@nx-agent-ecr.invalid',
      '-c',
      'commit.gpgsign=false',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      message,
    );
    return this.git('rev-parse', '--short', 'HEAD').trim();
  }

  git(...args: string[]): string {
    const result = sh('git', args, { cwd: this.root });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  }

  write(rel: string, text: string): void {
    mkdirSync(dirname(join(this.root, rel)), { recursive: true });
    writeFileSync(join(this.root, rel), text);
  }

  context(configurationName: keyof typeof ENVIRONMENTS): ExecutorContext {
    return {
      root: this.root,
      cwd: this.root,
      isVerbose: false,
      projectName: this.project,
      configurationName,
      projectsConfigurations: {
        version: 2,
        projects: {
          [this.project]: {
            root: PROJECT_ROOT,
            targets: {
              'docker-build': {
                executor: 'nx-agent-ecr:docker-arm64-build',
                options: {},
                configurations: { dev: {}, staging: {}, prod: {} },
              },
              'ecr-push': { executor: 'nx-agent-ecr:ecr-push', options: this.pushOptions, configurations: this.configurations },
            },
          },
        },
      },
      nxJsonConfiguration: {},
      projectGraph: { nodes: {}, dependencies: {} },
    };
  }

  build(configuration: keyof typeof ENVIRONMENTS = 'dev'): Promise<Run> {
    return captured(() => dockerArm64BuildExecutor({}, this.context(configuration)));
  }

  /** As Nx would run `ecr-push -c <configuration>`: configuration options merged over the target's options. */
  push(configuration: keyof typeof ENVIRONMENTS = 'dev', extra: EcrPushExecutorSchema = {}, deps?: EcrPushDeps): Promise<Run> {
    return captured(() =>
      ecrPushExecutor({ ...this.pushOptions, ...this.configurations[configuration], ...extra }, this.context(configuration), deps),
    );
  }

  buildRecord(): BuildRecord {
    return JSON.parse(readFileSync(buildRecordPath(this.root, PROJECT_ROOT), 'utf8')) as BuildRecord;
  }

  pushRecord(): EcrPushRecord {
    return JSON.parse(readFileSync(ecrPushRecordPath(this.root, PROJECT_ROOT), 'utf8')) as EcrPushRecord;
  }

  /** Removes every local image of this project (as on a fresh CI machine). */
  removeLocalImages(): void {
    const refs = sh('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']).stdout.split('\n');
    const mine = refs.filter((ref) => ref.startsWith(`${this.project}:`) || ref.includes(`-${this.project}:`));
    if (mine.length) sh('docker', ['image', 'rm', '-f', ...mine]);
  }

  dispose(): void {
    this.removeLocalImages();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Runs an executor and keeps its logger lines (shown by a failing toMatchObject), with the wall time it took. */
export async function captured(run: () => Promise<{ success: boolean }>): Promise<Run> {
  const logs: string[] = [];
  const spies = (['info', 'warn', 'error'] as const).map((level) =>
    jest.spyOn(logger, level).mockImplementation((...message: unknown[]) => void logs.push(`${level}: ${message.map(String).join(' ')}`)),
  );
  const started = Date.now();
  try {
    const { success } = await run();
    return { success, logs, seconds: (Date.now() - started) / 1000 };
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
}

/** Points the AWS SDK of this process at local-ecr (AWS_ENDPOINT_URL & co.) and returns a restore function. */
export function useEnv(env: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = value;
    }
  };
}
