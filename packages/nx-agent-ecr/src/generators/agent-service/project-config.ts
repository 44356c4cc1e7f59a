// The project.json the generator writes: docker-build, ecr-push, contract-check (the built image run against the
// contract), deploy, test and serve.
// The image, check and deploy targets name no inputs: the plugin infers them from the Dockerfile, its ignore file and
// the deploy file (index.ts), for generated and hand-written projects alike. Pure: a function of the normalized options.
import { type ProjectConfiguration, type TargetConfiguration } from '@nx/devkit';
import { EXECUTORS, GENERATORS, IMAGE_NAMED_INPUT, recordOutput } from '../../lib/records/names';
import { shellWord } from '../../lib/shell';
import { deployExecutor, otherImageProjects } from './deploy-files';
import { type NormalizedOptions } from './normalize-options';
import { type Protocol, type TemplateName } from './templates';

export const GENERATOR_ID = GENERATORS.agentService;
export const BUILD_RECORD = recordOutput('build');
export const JUNIT_OUTPUT = '{workspaceRoot}/dist/test-results/{projectRoot}/junit.xml';
const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

/** The options a service was generated with, kept in project.json so the drift test can regenerate it exactly. */
export interface GeneratorRecord {
  generator: typeof GENERATOR_ID;
  options: {
    name: string;
    template: TemplateName;
    protocol: Protocol;
    directory: string;
    port: number;
    libs: string[];
    baseImage: string;
  };
}

export function generatorRecord(o: NormalizedOptions): GeneratorRecord {
  return {
    generator: GENERATOR_ID,
    options: {
      name: o.name,
      template: o.template,
      protocol: o.protocol,
      directory: o.projectRoot,
      port: o.port,
      libs: o.libs.map((l) => l.name),
      baseImage: o.baseImage,
    },
  };
}

export function buildProjectConfiguration(o: NormalizedOptions): ProjectConfiguration {
  return {
    name: o.name,
    root: o.projectRoot,
    ...(o.info.python ? { sourceRoot: `${o.projectRoot}/src` } : {}),
    projectType: 'application',
    tags: ['lang:python', 'type:agent-service', `template:${o.template}`],
    // The contract is what a contract check runs the built image against: port, health path, endpoints.
    metadata: { description: o.info.description, contract: o.contract, generatedBy: generatorRecord(o) },
    targets: {
      'docker-build': dockerBuildTarget(o),
      'ecr-push': ecrPushTarget(),
      'contract-check': contractCheckTarget(o),
      deploy: deployTarget(o),
      test: testTarget(o),
      serve: o.info.python ? pythonServeTarget(o) : containerServeTarget(o),
    },
  };
}

/** langfuse's worker image: its own project (one image per project), generated and kept with the web service. */
export function buildWorkerConfiguration(o: NormalizedOptions, worker: { name: string; root: string }): ProjectConfiguration {
  return {
    name: worker.name,
    root: worker.root,
    projectType: 'application',
    tags: ['type:agent-service', `template:${o.template}`],
    metadata: { description: `Worker of ${o.name}: ${o.info.description}`, partOf: o.name },
    targets: {
      'docker-build': dockerBuildTarget(o),
      'ecr-push': ecrPushTarget(),
      'contract-check': contractCheckTarget(o),
      test: testTarget({ ...o, offset: `${o.offset}../`, projectRoot: worker.root }),
    },
  };
}

function dockerBuildTarget(o: NormalizedOptions): TargetConfiguration {
  return {
    executor: EXECUTORS.build,
    options: o.contextIsWorkspaceRoot ? { context: '.' } : {},
    // Empty configurations exist so that `ecr-push -c prod` reads its build target under the same configuration.
    configurations: Object.fromEntries(ENVIRONMENTS.map((env) => [env, {}])),
    outputs: [BUILD_RECORD],
    // The image lives in the engine, not in an output folder: Nx must not replay a build from its cache.
    cache: false,
  };
}

function ecrPushTarget(): TargetConfiguration {
  return {
    // No dependsOn: ecr-push validates, checks credentials and asks ECR before it builds (through buildTarget).
    executor: EXECUTORS.push,
    options: {},
    configurations: Object.fromEntries(ENVIRONMENTS.map((env) => [env, { environment: env }])),
    cache: false,
  };
}

/** Runs the built image against metadata.contract (docker-run reads it there); only its env and clauses differ. */
function contractCheckTarget(o: NormalizedOptions): TargetConfiguration {
  return {
    executor: EXECUTORS.run,
    dependsOn: ['docker-build'],
    options: { ...o.info.contractCheck },
    // The image lives in the engine: a check is only worth something when it ran against this image.
    cache: false,
  };
}

function deployTarget(o: NormalizedOptions): TargetConfiguration {
  const others = otherImageProjects(o);
  return {
    executor: deployExecutor(o.template),
    // The task also runs the other projects' images (langfuse's worker): their pushes come first.
    dependsOn: ['ecr-push', ...(others.length ? [{ projects: others, target: 'ecr-push' }] : [])],
    options: {},
    configurations: Object.fromEntries(ENVIRONMENTS.map((env) => [env, { environment: env }])),
    // A deploy changes AWS, not files: replaying it from a cache would skip the rollout.
    cache: false,
  };
}

function testTarget(o: NormalizedOptions): TargetConfiguration {
  return {
    executor: 'nx:run-commands',
    options: {
      // Debian's python has pytest/fastapi/httpx; PYTHON picks another interpreter (e.g. a venv) when wanted.
      // Nx only expands {workspaceRoot} at the start of an option, so the JUnit path is relative to the cwd.
      command: `\${PYTHON:-/usr/bin/python3} -m pytest ${shellWord(`--junitxml=${o.offset}dist/test-results/${o.projectRoot}/junit.xml`)}`,
      cwd: '{projectRoot}',
      env: { PYTHONDONTWRITEBYTECODE: '1' },
    },
    // dockerContext is the plugin's inferred set of files that reach the image (the app and the libs it copies).
    inputs: [IMAGE_NAMED_INPUT, '{projectRoot}/tests/**/*', '{projectRoot}/pytest.ini', { env: 'PYTHON' }],
    outputs: [JUNIT_OUTPUT],
    cache: true,
  };
}

function pythonServeTarget(o: NormalizedOptions): TargetConfiguration {
  const pythonPath = ['src', ...o.libs.map((l) => `${l.fromService}/src`)].join(':');
  return {
    executor: 'nx:run-commands',
    continuous: true,
    options: {
      command: `\${PYTHON:-/usr/bin/python3} -m uvicorn app.main:app --reload --host 127.0.0.1 --port ${o.port}`,
      cwd: '{projectRoot}',
      env: { PYTHONPATH: pythonPath, AGENT_BACKEND: 'auto' },
    },
  };
}

function containerServeTarget(o: NormalizedOptions): TargetConfiguration {
  return {
    executor: 'nx:run-commands',
    continuous: true,
    dependsOn: ['docker-build'],
    options: {
      // Configuration comes from the environment: copy .env.example to .env (never committed, never in the image).
      command: `docker run --rm -p ${o.port}:${o.port} --env-file .env ${o.name}:latest`,
      cwd: '{projectRoot}',
    },
  };
}
