// Test support for the ecr-push specs: a temp workspace with a build record, mocked AWS clients in a run scope,
// a scripted docker.
import type { ExecutorContext } from '@nx/devkit';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { awsError, mockedClients } from '../../lib/aws/test-support';
import { buildRecordPath } from '../../lib/records/build-record';
import type { ProcessRunner, RunOptions, RunResult } from '../../lib/process';
import { DockerLoginSession } from '../../lib/ecr/registry-login';
import { createRunScope } from '../../lib/task/run-scope';
import { plannedImage } from '../docker-arm64-build/planned-image';
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
    JSON.stringify({
      project: 'agent',
      imageName: 'agent',
      localTags: [`agent:${CONTENT}`],
      contentTag: CONTENT,
      platforms: ['linux/arm64'],
      built: true,
      createdAt: new Date().toISOString(),
    }),
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
    const call: Call = {
      file,
      args: [...args],
      options,
      dockerConfig: dir && existsSync(join(dir, 'config.json')) ? readFileSync(join(dir, 'config.json'), 'utf8') : undefined,
    };
    calls.push(call);
    const base: RunResult = { command: [file, ...args].join(' '), exitCode: 0, stdout: '', stderr: '', canceled: false, durationMs: 1500 };
    if (file === 'git') return { ...base, stdout: 'abc1234' };
    return { ...base, ...(script(call) ?? {}) };
  };
  return { run, calls, docker: () => calls.filter((c) => c.file === 'docker') };
}

/** Stands in for `process` as the host of SIGINT/SIGTERM (lib/task/termination.ts) and of "exit". */
export class FakeSignals extends EventEmitter {}

export function harness(script?: Script) {
  const { ecrMock, stsMock, clients } = mockedClients();
  const runner = fakeRunner(script);
  const signals = new FakeSignals();
  const sessions: DockerLoginSession[] = [];
  const tmpRoot = mkdtempSync(join(tmpdir(), 'ecr-push-tmp-'));
  const newScope = () =>
    createRunScope({
      createClients: () => clients,
      signals,
      newSession: (options) => {
        const session = new DockerLoginSession({ ...options, env: {}, exitHost: signals, tmpRoot });
        sessions.push(session);
        return session;
      },
    });
  const deps: EcrPushDeps = {
    run: runner.run,
    env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET_KEY },
    readBuild: jest.requireActual('./build-input').readBuildInput,
    planImage: plannedImage,
    newScope,
    sleep: async () => undefined,
  };
  return { deps, ecrMock, stsMock, runner, signals, sessions, tmpRoot };
}

export const repo = { repositoryName: 'shop-dev-agent', repositoryUri: `${HOST}/shop-dev-agent`, registryId: '123456789012' };
export const digest = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';
export const manifest = '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}';
export const allTags = [CONTENT, 'latest', 'abc1234'];

/** The harness with ECR answering for an existing dev repository, a login and manifest reads. */
export function setup(script?: Script) {
  const h = harness(script);
  h.ecrMock
    .on(DescribeRepositoriesCommand)
    .resolves({ repositories: [{ ...repo, imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'MUTABLE' }] });
  h.ecrMock
    .on(GetAuthorizationTokenCommand)
    .resolves({ authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: `https://${HOST}` }] });
  h.ecrMock
    .on(BatchGetImageCommand)
    .resolves({ images: [{ imageManifest: manifest, imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json' }] });
  h.ecrMock.on(PutImageCommand).resolves({});
  return h;
}

/** Content tag absent before the push, present after; the digest gains the other tags with PutImage. */
export function pushableImage(h: ReturnType<typeof harness>) {
  h.ecrMock
    .on(DescribeImagesCommand, { repositoryName: 'shop-dev-agent', imageIds: [{ imageTag: CONTENT }] })
    .rejectsOnce(awsError('ImageNotFoundException'))
    .resolves({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT] }] });
  h.ecrMock
    .on(DescribeImagesCommand, { repositoryName: 'shop-dev-agent', imageIds: [{ imageDigest: digest }] })
    .resolvesOnce({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT] }] })
    .resolves({
      imageDetails: [{ imageDigest: digest, imageTags: allTags, imageSizeInBytes: 2048, imagePushedAt: new Date('2026-02-01T00:00:00Z') }],
    });
}

export const readRecord = (root: string) => JSON.parse(readFileSync(join(root, 'dist/images/apps/agent/ecr-push.json'), 'utf8'));
