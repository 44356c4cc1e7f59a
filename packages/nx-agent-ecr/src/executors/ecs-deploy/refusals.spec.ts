// ecs-deploy refuses bad input in one line before any AWS call, and deploy.json records the refusal.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expectRefusedBeforeAws, type Workspace } from '../../lib/deploy/deploy-test-support';
import { ecsDeployHarness, TEMPLATE } from './executor-test-support';
import type { EcsDeployExecutorSchema } from './schema';

describe('ecs-deploy', () => {
  const h = ecsDeployHarness();
  const run = (options?: EcsDeployExecutorSchema) => h.run(options);

  describe('bad input fails in one line before any AWS call', () => {
    test.each<[string, (w: Workspace) => void, EcsDeployExecutorSchema, RegExp]>([
      [
        'a missing template file',
        () => undefined,
        { taskDefinition: 'apps/agent/deploy/ecs/none.json' },
        /^No deploy file at apps\/agent\/deploy\/ecs\/none\.json: /,
      ],
      [
        'invalid JSON, with line and column',
        (w) => w.write('apps/agent/deploy/ecs/task-definition.json', '{\n  "family": "x",\n}'),
        {},
        /^apps\/agent\/deploy\/ecs\/task-definition\.json is not valid JSON \(.*line 3 column 1\): fix the file/,
      ],
      [
        'an unknown placeholder',
        (w) => w.write('apps/agent/deploy/ecs/task-definition.json', { ...TEMPLATE, family: '{{family}}' }),
        {},
        /task-definition\.json family: unknown placeholder \{\{family\}\}/,
      ],
      [
        'an unset {{env.NAME}}',
        (w) => w.write('apps/agent/deploy/ecs/task-definition.json', { ...TEMPLATE, taskRoleArn: '{{env.TASK_ROLE}}' }),
        {},
        /taskRoleArn: \{\{env\.TASK_ROLE\}\} needs the environment variable TASK_ROLE, which is not set/,
      ],
      [
        'no container with {{image}}',
        (w) =>
          w.write('apps/agent/deploy/ecs/task-definition.json', {
            ...TEMPLATE,
            containerDefinitions: [{ name: 'agent', image: 'x:latest' }],
          }),
        {},
        /no container has "image": "\{\{image\}\}"/,
      ],
      [
        'an X86_64 task for an arm64 image',
        (w) => w.write('apps/agent/deploy/ecs/task-definition.json', { ...TEMPLATE, runtimePlatform: undefined }),
        {},
        /cpuArchitecture is absent, which Fargate runs as X86_64, but the image was built for linux\/arm64/,
      ],
      [
        'a cluster without a service',
        () => undefined,
        { cluster: 'shop' },
        /^cluster and service go together: cluster "shop" has no service/,
      ],
      [
        'an empty ecr-push.json',
        (w) => w.write('dist/images/apps/agent/ecr-push.json', ''),
        {},
        /ecr-push\.json is not valid JSON: run `nx run agent:ecr-push -c dev`/,
      ],
      [
        'a dry-run record',
        (w) => w.pushRecord({ outcome: 'dry-run' }),
        {},
        /records a dry run, which pushed nothing: run `nx run agent:ecr-push -c dev`/,
      ],
      [
        'a failure record',
        (w) =>
          w.write('dist/images/apps/agent/ecr-push.json', {
            project: 'agent',
            outcome: 'failed',
            error: 'PutImage throttled',
            movedTags: [],
          }),
        {},
        /records a push that failed \(PutImage throttled\): run `nx run agent:ecr-push -c dev`/,
      ],
      [
        'the in-progress record of a killed push',
        (w) => w.write('dist/images/apps/agent/ecr-push.json', { project: 'agent', outcome: 'in-progress', movedTags: [] }),
        {},
        /records a push that did not finish \(killed or still running\)/,
      ],
      [
        'a record from another commit',
        (w) => w.pushRecord({ gitSha: '9999999' }),
        {},
        /was written at commit 9999999, but the workspace is at abc1234def56/,
      ],
      [
        'a record without content tag and platforms',
        (w) => w.pushRecord({ contentTag: undefined, tags: ['latest'], platforms: undefined }),
        {},
        /names no content tag and platforms \(an older nx-agent-ecr wrote it\)/,
      ],
      [
        'a record of another environment',
        () => undefined,
        { environment: 'prod' },
        /is for repository shop-dev-agent, but this deploy \(environment prod\) uses shop-prod-agent/,
      ],
    ])('%s', async (_name, arrange, options, message) => {
      arrange(h.ws);
      await expect(run(options)).resolves.toEqual({ success: false });
      expectRefusedBeforeAws(h.logs.errors(), message, h.sts.mock.calls().length + h.ecs.mock.calls().length, h.record());
    });

    it('a missing ecr-push.json names the file and the target to run', async () => {
      rmSync(join(h.ws.root, 'dist/images/apps/agent/ecr-push.json'));
      await expect(run()).resolves.toEqual({ success: false });
      expect(h.logs.errors()).toEqual([
        'No push record at dist/images/apps/agent/ecr-push.json: ' +
          "run `nx run agent:ecr-push -c dev` (deploy's dependsOn does) and deploy again.",
      ]);
      expect(h.ecs.mock.calls()).toHaveLength(0);
    });
  });
});
