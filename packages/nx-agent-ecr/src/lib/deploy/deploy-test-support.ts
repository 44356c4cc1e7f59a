// Test support for the deploy specs: a temp workspace with build.json, ecr-push.json and deploy files, mocked
// ECS / AgentCore / STS clients in a run scope (the real ports), a fake git, and a clock that sleeps instantly.
import { DescribeImageScanFindingsCommand } from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { ExecutorContext } from '@nx/devkit';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mockedClients } from '../aws/test-support';
import type { ProcessRunner } from '../process';
import type { EcrPushRecord } from '../records/ecr-push-record';
import { createRunScope } from '../task/run-scope';

export const ACCOUNT = '123456789012';
export const HEAD = 'abc1234def5678abc1234def5678abc1234def56';
export const CONTENT = 'content-0123456789abcdef01234567';
export const DIGEST = `sha256:${'d'.repeat(64)}`;
export const REPO_URI = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/shop-dev-agent`;
export const IMAGE = `${REPO_URI}@${DIGEST}`;
export const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';

export interface Workspace {
  root: string;
  context: ExecutorContext;
  write(rel: string, content: unknown): void;
  pushRecord(overrides?: Partial<EcrPushRecord>): void;
}

/** A workspace named "shop" with project "agent" at apps/agent, built and pushed at HEAD. */
export function deployWorkspace(configurationName = 'dev'): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'deploy-ws-'));
  const write = (rel: string, content: unknown) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  };
  write('package.json', { name: 'shop' });
  const built = new Date(Date.now() - 60_000).toISOString();
  write('dist/images/apps/agent/build.json', {
    project: 'agent',
    imageName: 'agent',
    localTags: [],
    contentTag: CONTENT,
    platforms: ['linux/arm64'],
    built: true,
    createdAt: built,
  });
  const pushRecord = (overrides: Partial<EcrPushRecord> = {}) =>
    write('dist/images/apps/agent/ecr-push.json', {
      project: 'agent',
      repositoryName: 'shop-dev-agent',
      repositoryUri: REPO_URI,
      digest: DIGEST,
      tags: [CONTENT, 'latest', 'abc1234'],
      imageUris: [],
      sizeBytes: 1,
      pushedAt: built,
      outcome: 'pushed',
      seconds: 1,
      recordedAt: new Date(Date.now() - 30_000).toISOString(),
      contentTag: CONTENT,
      gitSha: 'abc1234',
      platforms: ['linux/arm64'],
      ...overrides,
    });
  pushRecord();
  const context = {
    root,
    cwd: root,
    isVerbose: false,
    projectName: 'agent',
    configurationName,
    projectsConfigurations: { version: 2, projects: { agent: { root: 'apps/agent', targets: {} } } },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  } as ExecutorContext;
  return { root, context, write, pushRecord };
}

/** git answers HEAD; everything else is not expected. */
export const fakeGit = (head = HEAD): ProcessRunner =>
  (async (file: string, args: readonly string[]) => {
    if (file === 'git' && args.join(' ') === 'rev-parse HEAD')
      return { command: 'git rev-parse HEAD', exitCode: 0, stdout: `${head}\n`, stderr: '', canceled: false, durationMs: 1 };
    throw new Error(`unexpected process ${file} ${args.join(' ')}`);
  }) as ProcessRunner;

/** What DescribeImageScanFindings answers for an image scanned clean. */
export const CLEAN_SCAN = {
  imageScanStatus: { status: 'COMPLETE' as const },
  imageScanFindings: { imageScanCompletedAt: new Date(0), findings: [] },
};

/** The mocked SDK clients of eu-west-1 in a run scope per task, as the executors get them; `signals` stands in for SIGINT/SIGTERM. */
export function mockedDeployAws() {
  const { ecrMock, stsMock, ecsMock, agentCoreMock, clients } = mockedClients('eu-west-1');
  stsMock.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/ci` });
  // The deploys' scan gate: a clean, complete scan unless a test says otherwise.
  ecrMock.on(DescribeImageScanFindingsCommand).resolves(CLEAN_SCAN);
  const signals = new EventEmitter();
  return {
    ecr: { mock: ecrMock },
    sts: { mock: stsMock },
    ecs: { mock: ecsMock },
    agentCore: { mock: agentCoreMock },
    signals,
    newScope: () => createRunScope({ createClients: () => clients, signals }),
  };
}

/** A clock for waits: sleeping advances it, so a deadline passes without real time passing. */
export function fakeClock(start = 1_000_000) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

/** A refusal: exactly one error line matching `message`, no AWS call at all, and deploy.json saying so. */
export function expectRefusedBeforeAws(
  errors: string[],
  message: RegExp,
  awsCalls: number,
  record: { outcome: string; error?: string },
): void {
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(message);
  expect(errors[0]).not.toContain('\n');
  expect(awsCalls).toBe(0);
  expect(record).toMatchObject({ outcome: 'failed', error: errors[0] });
}

/** Everything the logger printed, to assert one-line errors and that no secret leaks. */
export function captureLogs(logger: { info: unknown; warn: unknown; error: unknown }) {
  const lines: { level: string; text: string }[] = [];
  const spies = (['info', 'warn', 'error'] as const).map((level) =>
    jest.spyOn(logger as Record<typeof level, (m: unknown) => void>, level).mockImplementation((m: unknown) => {
      lines.push({ level, text: String(m) });
    }),
  );
  return {
    lines,
    errors: () => lines.filter((l) => l.level === 'error').map((l) => l.text),
    all: () => lines.map((l) => l.text).join('\n'),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}
