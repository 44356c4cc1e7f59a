// Test support for the ecr-push specs: a temp workspace with a build record, a mocked AWS pair, a scripted docker.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { ExecutorContext } from '@nx/devkit';
import { mockClient } from 'aws-sdk-client-mock';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stsPort } from '../../lib/aws/clients';
import { mockedEcr } from '../../lib/aws/test-support';
import { buildRecordPath } from '../../lib/records/build-record';
import type { ProcessRunner, RunOptions, RunResult } from '../../lib/process';
import { DockerLoginSession, type SignalHost } from '../../lib/ecr/registry-login';
import type { EcrPushDeps } from './executor';

export const PASSWORD = 'ecr-password-SHOULD-NEVER-PRINT-42';
export const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString('base64');
export const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';
export const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
export const CONTENT = 'content-0123456789abcdef01234567';

export function workspace(configurationName = 'dev'): ExecutorContext {
  const root = mkdtempSync(join(tmpdir(), 'ecr-push-ws-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'shop' }));
  mkdirSync(dirname(buildRecordPath(root, 'apps/agent')), { recursive: true });
  writeFileSync(
    buildRecordPath(root, 'apps/agent'),
    JSON.stringify({ project: 'agent', imageName: 'agent', localTags: [`agent:${CONTENT}`], contentTag: CONTENT, platforms: ['linux/arm64'], built: true, createdAt: new Date().toISOString() }),
  );
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: 'agent',
    configurationName,
    projectsConfigurations: { version: 2, projects: { agent: { root: 'apps/agent', targets: {} } } },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  } as ExecutorContext;
}

export interface Call {
  file: string;
  args: string[];
  options: RunOptions;
  /** The temp docker config as it was when docker ran. */
  dockerConfig?: string;
}

export type Script = (call: Call) => Partial<RunResult> | undefined;

export function fakeRunner(script: Script = () => undefined) {
  const calls: Call[] = [];
  const run: ProcessRunner = async (file, args, options = {}) => {
    const dir = options.env?.['DOCKER_CONFIG'];
    const call: Call = { file, args: [...args], options, dockerConfig: dir && existsSync(join(dir, 'config.json')) ? readFileSync(join(dir, 'config.json'), 'utf8') : undefined };
    calls.push(call);
    const base: RunResult = { command: [file, ...args].join(' '), exitCode: 0, stdout: '', stderr: '', canceled: false, durationMs: 1500 };
    if (file === 'git') return { ...base, stdout: 'abc1234' };
    return { ...base, ...(script(call) ?? {}) };
  };
  return { run, calls, docker: () => calls.filter((c) => c.file === 'docker') };
}

export class FakeSignals extends EventEmitter implements SignalHost {
  readonly pid = 4242;
  readonly kill = jest.fn();
}

export function harness(script?: Script) {
  const { mock: ecrMock, ecr } = mockedEcr();
  const stsClient = new STSClient({ region: 'us-east-1' });
  const stsMock = mockClient(stsClient);
  stsMock.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/ci/x' });
  const runner = fakeRunner(script);
  const signals = new FakeSignals();
  const sessions: DockerLoginSession[] = [];
  const tmpRoot = mkdtempSync(join(tmpdir(), 'ecr-push-tmp-'));
  const deps: EcrPushDeps = {
    run: runner.run,
    aws: () => ({ ecr, sts: stsPort(stsClient) }),
    env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET_KEY },
    readBuild: jest.requireActual('./build-input').readBuildInput,
    newSession: (ports) => {
      const session = new DockerLoginSession({ ecr: ports.ecr, env: {}, signals, tmpRoot });
      sessions.push(session);
      return session;
    },
    sleep: async () => undefined,
  };
  return { deps, ecrMock, stsMock, runner, signals, sessions, tmpRoot };
}
