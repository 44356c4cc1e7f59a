// Test support for the ecr-push specs: a temp workspace with a service, its docker-build target and a build record of
// its current sources; mocked AWS clients in a run scope; a scripted docker.
import type { ExecutorContext } from '@nx/devkit';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { computeContentTag } from '../../lib/content/content-tag';
import { awsError, mockedClients } from '../../lib/aws/test-support';
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { buildRecordPath } from '../../lib/records/build-record';
import type { ProcessRunner, RunOptions, RunResult } from '../../lib/process';
import { DockerLoginSession } from '../../lib/ecr/registry-login';
import { createRunScope } from '../../lib/task/run-scope';
import type { EcrPushDeps } from './executor';

export const PASSWORD = 'ecr-password-SHOULD-NEVER-PRINT-42';
export const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString('base64');
export const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';
export const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
/** The base is pinned by digest, so the content tag needs no registry lookup. */
const BASE = `registry.example/base@sha256:${'b'.repeat(64)}`;
export const DOCKERFILE = `FROM ${BASE}\nCOPY app.txt /app/\n`;
// readTargetOptions reads the build target's schema from the plugin, as Nx resolves it from the workspace.
const PLUGIN_DIR = resolve(__dirname, '../../..');

let fixtureTag: string | undefined;

/** The content tag of the service every workspace() holds; call it in beforeAll before workspace(). */
export async function fixtureContentTag(): Promise<string> {
  if (!fixtureTag) {
    const root = writeService(mkdtempSync(join(tmpdir(), 'ecr-push-tag-')));
    fixtureTag = await computeContentTag({
      workspaceRoot: root,
      contextDir: join(root, 'apps/agent'),
      dockerfilePath: join(root, 'apps/agent/Dockerfile'),
      platforms: ['linux/arm64'],
      baseImages: [{ ref: BASE, platform: 'linux/arm64', digest: `sha256:${'b'.repeat(64)}` }],
    });
  }
  return fixtureTag;
}

function writeService(root: string): string {
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'shop' }));
  mkdirSync(join(root, 'apps/agent'), { recursive: true });
  writeFileSync(join(root, 'apps/agent/Dockerfile'), DOCKERFILE);
  writeFileSync(join(root, 'apps/agent/app.txt'), 'hello\n');
  return root;
}

/** A workspace whose service was built by docker-build from its current sources (unless `buildRecord` says otherwise). */
export function workspace(configurationName = 'dev', buildRecord: { contentTag?: string } | false = {}): ExecutorContext {
  const root = writeService(mkdtempSync(join(tmpdir(), 'ecr-push-ws-')));
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(PLUGIN_DIR, join(root, 'node_modules', 'nx-agent-ecr'));
  if (buildRecord) {
    const contentTag = buildRecord.contentTag ?? fixtureTag;
    if (!contentTag) throw new Error('call fixtureContentTag() in beforeAll first');
    mkdirSync(dirname(buildRecordPath(root, 'apps/agent')), { recursive: true });
    writeFileSync(
      buildRecordPath(root, 'apps/agent'),
      JSON.stringify({
        project: 'agent',
        imageName: 'agent',
        localTags: [`agent:${contentTag}`],
        contentTag,
        platforms: ['linux/arm64'],
        built: true,
        createdAt: new Date().toISOString(),
      }),
    );
  }
  const envs = { dev: {}, staging: {}, prod: {} };
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: 'agent',
    targetName: 'ecr-push',
    configurationName,
    projectsConfigurations: {
      version: 2,
      projects: {
        agent: {
          root: 'apps/agent',
          targets: { 'docker-build': { executor: 'nx-agent-ecr:docker-arm64-build', options: {}, configurations: envs } },
        },
      },
    },
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
    // git's answer: the commit abc1234, once per revision asked (rev-parse HEAD --short HEAD prints two lines).
    const revisions = file === 'git' && args[0] === 'rev-parse' ? args.filter((arg) => !arg.startsWith('-')).length - 1 : 1;
    if (file === 'git') return { ...base, stdout: Array(Math.max(1, revisions)).fill('abc1234').join('\n'), ...(script(call) ?? {}) };
    return { ...base, ...(script(call) ?? dockerDefaults(call)) };
  };
  const docker = () => calls.filter((c) => c.file === 'docker');
  const is =
    (...words: string[]) =>
    (c: Call) =>
      words.every((word, i) => c.args[i] === word);
  return {
    run,
    calls,
    docker,
    /** The docker calls that move image data or tags: `docker tag` and `docker push`. */
    transfers: () => docker().filter((c) => is('tag')(c) || is('push')(c)),
    builds: () => docker().filter(is('buildx', 'build')),
  };
}

/** A machine where Docker, buildx and arm64 emulation work, the local image exists, and builds succeed. */
function dockerDefaults(call: Call): Partial<RunResult> {
  const command = call.args.join(' ');
  if (command.startsWith('version')) return { stdout: '28.2.2' };
  if (command.startsWith('buildx version')) return { stdout: 'github.com/docker/buildx 0.13.1 abc' };
  if (command.startsWith('buildx inspect')) return { stdout: 'Name: default\nDriver: docker\nPlatforms: linux/amd64, linux/arm64\n' };
  if (command.startsWith('buildx build')) {
    const metadataFile = call.args[call.args.indexOf('--metadata-file') + 1] ?? '';
    writeFileSync(metadataFile, JSON.stringify({ 'containerimage.config.digest': 'sha256:cfg' }));
  }
  return {};
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
    machine: { hostArch: 'x64', binfmtRegistered: () => true },
    now: () => new Date('2026-01-02T03:04:05.000Z'),
    newScope,
    sleep: async () => undefined,
  };
  return { deps, ecrMock, stsMock, runner, signals, sessions, tmpRoot };
}

export const repo = { repositoryName: 'shop-dev-agent', repositoryUri: `${HOST}/shop-dev-agent`, registryId: '123456789012' };
export const digest = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';
export const manifest = '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}';
/** The fixture's content tag and default tags; set by loadFixture() (call it in beforeAll). */
export let CONTENT = '';
export let allTags: string[] = [];
export async function loadFixture(): Promise<void> {
  CONTENT = await fixtureContentTag();
  allTags = [CONTENT, 'latest', 'abc1234'];
}

/** The harness with ECR answering for an existing dev repository, a login and manifest reads; no image yet. */
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
  h.ecrMock.on(DescribeImagesCommand).rejects(awsError('ImageNotFoundException'));
  return h;
}

/**
 * Content tag absent before the push, present after; the digest gains the other tags with PutImage. `latest` is
 * looked up three times before it moves (facts, the check right before, none after) and found after.
 */
export function pushableImage(h: ReturnType<typeof harness>) {
  h.ecrMock
    .on(DescribeImagesCommand, { repositoryName: 'shop-dev-agent', imageIds: [{ imageTag: 'latest' }] })
    .rejectsOnce(awsError('ImageNotFoundException'))
    .rejectsOnce(awsError('ImageNotFoundException'))
    .resolves({ imageDetails: [{ imageDigest: digest, imageTags: allTags }] });
  h.ecrMock
    .on(DescribeImagesCommand, { repositoryName: 'shop-dev-agent', imageIds: [{ imageTag: CONTENT }] })
    .rejectsOnce(awsError('ImageNotFoundException'))
    .resolves({ imageDetails: [{ imageDigest: digest, imageTags: [CONTENT] }] });
  // By digest only the verification asks: the tag moves start from the tags the content tag's lookup read.
  h.ecrMock.on(DescribeImagesCommand, { repositoryName: 'shop-dev-agent', imageIds: [{ imageDigest: digest }] }).resolves({
    imageDetails: [{ imageDigest: digest, imageTags: allTags, imageSizeInBytes: 2048, imagePushedAt: new Date('2026-02-01T00:00:00Z') }],
  });
}

export const readRecord = (root: string) => JSON.parse(readFileSync(join(root, 'dist/images/apps/agent/ecr-push.json'), 'utf8'));
