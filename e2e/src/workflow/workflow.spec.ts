// The delivery workflow parses, lints, and every nx command in it names targets and configurations that exist.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { workspaceRoot } from '../support/toolchain';
import { nxInvocations, parseNxCommand } from './nx-commands';

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  if?: string;
  needs?: string | string[];
  environment?: string;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  concurrency: { group: string; 'cancel-in-progress': string };
  env?: Record<string, string>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const WORKFLOW = join(workspaceRoot, '.github', 'workflows', 'affected-delivery.yml');
const text = readFileSync(WORKFLOW, 'utf8');
const workflow = parse(text) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

/** Target name -> configurations per project that has it, from every project.json of the workspace. */
function workspaceTargets(): Map<string, Map<string, string[]>> {
  const targets = new Map<string, Map<string, string[]>>();
  for (const dir of ['apps', 'libs', 'packages']) {
    for (const name of existsSync(join(workspaceRoot, dir)) ? readdirSync(join(workspaceRoot, dir)) : []) {
      const file = join(workspaceRoot, dir, name, 'project.json');
      if (!existsSync(file)) continue;
      const project = JSON.parse(readFileSync(file, 'utf8')) as {
        name: string;
        targets?: Record<string, { configurations?: Record<string, unknown> }>;
      };
      for (const [target, config] of Object.entries(project.targets ?? {})) {
        if (!targets.has(target)) targets.set(target, new Map());
        targets.get(target)?.set(project.name, Object.keys(config.configurations ?? {}));
      }
    }
  }
  return targets;
}

/** The values the workflow can give $ENVIRONMENT: what the plan job writes to GITHUB_OUTPUT. */
const variables = {
  ENVIRONMENT: [...text.matchAll(/echo "environment=(\w+)"/g)].map((match) => match[1]),
};

describe('the affected-delivery workflow', () => {
  test('parses as YAML and has the PR, main and tag triggers', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.on.push).toEqual({ branches: ['main'], tags: ['v*'] });
  });

  test('runs Nx as the benchmark measured it: no daemon, plugins in the Nx process itself', () => {
    expect(workflow.env).toMatchObject({ NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false' });
  });

  test('passes action-validator (schema of workflows and actions)', () => {
    const result = spawnSync(join(workspaceRoot, 'node_modules', '.bin', 'action-validator'), [WORKFLOW], { encoding: 'utf8' });
    expect({ status: result.status, output: `${result.stdout}${result.stderr}`.trim() }).toEqual({ status: 0, output: '' });
  });

  test('every nx command names targets and configurations that exist in the workspace', () => {
    const targets = workspaceTargets();
    const commands = steps.flatMap((step) => nxInvocations(step.run ?? '')).map((args) => parseNxCommand(args, variables));
    expect(commands.length).toBeGreaterThanOrEqual(6);
    const problems: string[] = [];
    for (const command of commands) {
      for (const target of command.targets) {
        const projects = targets.get(target);
        if (!projects) {
          problems.push(`${command.text}: no project has target "${target}"`);
          continue;
        }
        for (const configuration of command.configurations) {
          // Configurations are checked where they matter: on the projects that deliver images.
          for (const [project, configurations] of projects) {
            if (targets.get('ecr-push')?.has(project) && !configurations.includes(configuration)) {
              problems.push(`${command.text}: ${project}:${target} has no configuration "${configuration}"`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('runs the gated path: PR test+build+contract-check, main ecr-push -c dev, tags ecr-push -c prod (scan gate)', () => {
    const runs = steps.map((step) => step.run ?? '').join('\n');
    expect(runs).toMatch(/npx nx affected -t test docker-build contract-check /);
    expect(runs).toMatch(/npx nx affected -t ecr-push -c dev/);
    expect(runs).toMatch(/npx nx run-many -t ecr-push -c prod/);
    expect(runs).toMatch(/npx nx show projects --affected -t ecr-push .*--json/);
  });

  test('runs one delivery at a time per environment, so its ecr-push commands skip the pause after moving latest', () => {
    // Pull requests per branch (the newest cancels the older); pushes per environment, never per ref: a tag and another
    // tag, or main and main, never move one repository's `latest` at the same time.
    expect(workflow.concurrency).toEqual({
      group: "affected-delivery-${{ github.event_name == 'pull_request' && github.ref || (github.ref_type == 'tag' && 'prod' || 'dev') }}",
      'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
    });
    const lines = steps.flatMap((step) => (step.run ?? '').split('\n'));
    const pushes = lines.filter((line) => /nx (run|affected|run-many).*ecr-push/.test(line));
    expect(pushes).toHaveLength(3);
    expect(pushes.filter((line) => !line.includes('--latestSettleSeconds=0'))).toEqual([]);
  });

  test('deploys after delivery by digest: dev from main, prod on tags, one matrix leg per affected deploy target', () => {
    const deploy = workflow.jobs.deploy;
    expect(deploy.needs).toEqual(['plan', 'deliver']);
    expect(deploy.strategy?.matrix?.project).toBe('${{ fromJSON(needs.plan.outputs.deploy_projects) }}');
    expect(deploy.environment).toBe('${{ needs.plan.outputs.environment }}');
    expect(deploy.env?.['AGENTCORE_ROLE_ARN']).toBe('${{ vars.AGENTCORE_ROLE_ARN }}');
    // The deploy files' {{env.NAME}} read the GitHub variables: exported before the deploy step runs.
    const exported = deploy.steps.findIndex((step) => step.run?.includes('>> "$GITHUB_ENV"') && step.with === undefined);
    expect(exported).toBeGreaterThan(-1);
    expect(exported).toBeLessThan(deploy.steps.findIndex((step) => step.run?.includes(':deploy')));
    expect(deploy.steps.map((step) => step.run ?? '').join('\n')).toContain('npx nx run "$PROJECT:deploy" -c "$ENVIRONMENT"');
    const plan = workflow.jobs.plan.steps.map((step) => step.run ?? '').join('\n');
    expect(plan).toMatch(/npx nx show projects --affected -t deploy --base="\$NX_BASE" --head="\$NX_HEAD" --json/);
    expect(plan).toMatch(/npx nx show projects --with-target deploy --json/);
    const single = workflow.jobs['deliver-single'].steps.map((step) => step.run ?? '').join('\n');
    expect(single).toMatch(/npx nx affected -t deploy -c dev .*--excludeTaskDependencies/);
    expect(single).toMatch(/npx nx run-many -t deploy -c prod --excludeTaskDependencies/);
  });

  test('sets up a Node.js LTS major that every package.json engines range accepts (22 or 24; tools/test.sh runs both)', () => {
    const majors = steps.filter((step) => step.uses?.startsWith('actions/setup-node@')).map((step) => String(step.with?.['node-version']));
    expect(majors.length).toBeGreaterThan(0);
    const engines = ['package.json', 'packages/nx-agent-ecr/package.json', 'packages/local-ecr/package.json'].map(
      (file) => (JSON.parse(readFileSync(join(workspaceRoot, file), 'utf8')) as { engines: { node: string } }).engines.node,
    );
    for (const major of majors) {
      expect(['22', '24']).toContain(major);
      for (const range of engines) expect(range.split('||').some((part) => part.trim().startsWith(`^${major}.`))).toBe(true);
    }
  });

  test('pins every action by at least its major version', () => {
    const unpinned = steps.filter((step) => step.uses && !/@v\d+(\.\d+)*$|@[0-9a-f]{40}$/.test(step.uses)).map((step) => step.uses);
    expect(unpinned).toEqual([]);
  });

  test('uses OIDC with least privilege: contents read by default, id-token write only where AWS is assumed', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const assumesRole = job.steps.some((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      expect({ name, permissions: job.permissions }).toEqual(
        assumesRole ? { name, permissions: { 'id-token': 'write', contents: 'read' } } : { name, permissions: undefined },
      );
      for (const step of job.steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))) {
        expect(step.with?.['role-to-assume']).toBe('${{ vars.AWS_ROLE_ARN }}');
        expect(step.with).not.toHaveProperty('aws-access-key-id');
      }
    }
  });

  test('never pushes from a pull request', () => {
    const prJobs = Object.values(workflow.jobs).filter((job) => job.if?.includes("github.event_name == 'pull_request'"));
    expect(prJobs).toHaveLength(1);
    const runs = prJobs.flatMap((job) => job.steps.map((step) => step.run ?? '')).join('\n');
    expect(runs).not.toMatch(/ecr-push|--push/);
    expect(prJobs[0].steps.some((step) => step.uses?.startsWith('aws-actions/'))).toBe(false);
  });

  test('fans out one matrix leg per affected service, native arm64 when configured, else x86 with QEMU', () => {
    const deliver = workflow.jobs.deliver;
    expect(deliver.strategy?.matrix?.project).toBe('${{ fromJSON(needs.plan.outputs.projects) }}');
    expect(deliver['runs-on']).toBe("${{ vars.NATIVE_ARM64_RUNNER == 'true' && 'ubuntu-24.04-arm' || 'ubuntu-24.04' }}");
    const qemu = deliver.steps.find((step) => step.uses?.startsWith('docker/setup-qemu-action@'));
    expect(qemu?.if).toBe("vars.NATIVE_ARM64_RUNNER != 'true'");
  });

  test('delivers in one ecr-push task per service, building with an ECR registry cache per service', () => {
    const deliver = workflow.jobs.deliver.steps.find((step) => step.run?.includes(':ecr-push'));
    expect(deliver?.run).toContain('--buildTargetOptions.cacheFrom="type=registry,ref=$CACHE_REF"');
    expect(deliver?.run).toContain('--buildTargetOptions.cacheTo="type=registry,ref=$CACHE_REF,mode=max"');
    const single = workflow.jobs['deliver-single'].steps.find((step) => step.run?.includes('affected -t ecr-push'));
    expect(single?.run).toContain('--buildTargetOptions.cacheFrom="type=registry,ref=$CACHE_REPO:{projectName}"');
    // No step builds apart from its push; only the deploys (after the push step) exclude their task dependencies.
    const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ''));
    expect(runs.join('\n')).not.toMatch(/run "\$\w+:docker-build"/);
    const pushes = runs.flatMap((run) => run.split('\n')).filter((line) => line.includes('ecr-push') && !line.includes('show projects'));
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes.filter((line) => line.includes('excludeTaskDependencies'))).toEqual([]);
  });
});
