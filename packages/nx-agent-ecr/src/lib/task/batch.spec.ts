import { logger, type ExecutorContext, type TaskGraph } from '@nx/devkit';
import { EventEmitter } from 'node:events';
import { batchOf, inDependencyOrder } from './batch';
import { createRunScope, type RunScope } from './run-scope';

const task = (project: string, target: string, configuration?: string) => ({
  id: `${project}:${target}${configuration ? `:${configuration}` : ''}`,
  target: { project, target, configuration },
  overrides: {},
  outputs: [],
  parallelism: true,
});

const graph = (tasks: ReturnType<typeof task>[], dependencies: Record<string, string[]> = {}): TaskGraph =>
  ({
    roots: [],
    tasks: Object.fromEntries(tasks.map((t) => [t.id, t])),
    dependencies: Object.fromEntries(tasks.map((t) => [t.id, (dependencies[t.id] ?? []).map((id) => ({ id }))])),
    continuousDependencies: {},
  }) as unknown as TaskGraph;

const context = { root: '/ws', cwd: '/ws', isVerbose: false } as ExecutorContext;

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterator) out.push(item);
  return out;
}

describe('batchOf', () => {
  it('runs the executor once per task with that task options and its own project, target and configuration', async () => {
    const calls: { options: { n: number }; project?: string; target?: string; configuration?: string }[] = [];
    const run = batchOf(async (options: { n: number }, ctx) => {
      calls.push({ options, project: ctx.projectName, target: ctx.targetName, configuration: ctx.configurationName });
      return { success: true };
    });
    const tg = graph([task('a', 'ecr-push', 'prod'), task('b', 'ecr-push', 'prod')]);
    const results = await collect(run(tg, { 'a:ecr-push:prod': { n: 1 }, 'b:ecr-push:prod': { n: 2 } }, { n: 0 }, context));
    expect(calls).toEqual([
      { options: { n: 1 }, project: 'a', target: 'ecr-push', configuration: 'prod' },
      { options: { n: 2 }, project: 'b', target: 'ecr-push', configuration: 'prod' },
    ]);
    expect(results.map((r) => [r.task, r.result.success])).toEqual([
      ['a:ecr-push:prod', true],
      ['b:ecr-push:prod', true],
    ]);
  });

  it('runs every task of the batch in one run scope, and disposes it after the last task', async () => {
    const scopes = new Set<RunScope>();
    const dispose = jest.fn();
    const newScope = () => ({ ...createRunScope({ signals: new EventEmitter() }), dispose });
    const run = batchOf(
      async (_options: object, _ctx, scope) => {
        scopes.add(scope);
        expect(dispose).not.toHaveBeenCalled();
        return { success: true };
      },
      { newScope },
    );
    await collect(run(graph([task('a', 'ecr-push'), task('b', 'ecr-push')]), { 'a:ecr-push': {}, 'b:ecr-push': {} }, {}, context));
    expect(scopes.size).toBe(1);
    expect(dispose).toHaveBeenCalledTimes(1);
  });

  it('runs the planner once, before any task, with every task and its own context, in the batch scope; its failure fails no task', async () => {
    const events: string[] = [];
    const scopes = new Set<RunScope>();
    const run = batchOf(
      async (options: { n: number }, _ctx, scope) => {
        scopes.add(scope);
        events.push(`task ${options.n}`);
        return { success: true };
      },
      {
        plan: async (tasks, scope) => {
          scopes.add(scope);
          events.push(`plan ${tasks.map((t) => `${t.context.projectName}=${t.options.n}`).join(',')}`);
          throw new Error('a lookup failed');
        },
      },
    );
    const tg = graph([task('a', 'ecr-push'), task('b', 'ecr-push')]);
    const results = await collect(run(tg, { 'a:ecr-push': { n: 1 }, 'b:ecr-push': { n: 2 } }, { n: 0 }, context));
    expect(events).toEqual(['plan a=1,b=2', 'task 1', 'task 2']);
    expect(scopes.size).toBe(1);
    expect(results.every((r) => r.result.success)).toBe(true);
  });

  it('does not run a task whose in-batch dependency failed, and says which one; its other tasks still run', async () => {
    const ran: string[] = [];
    const run = batchOf(async (options: { fail?: boolean }, ctx) => {
      ran.push(ctx.projectName ?? '');
      return { success: !options.fail };
    });
    const tg = graph([task('lib', 't'), task('svc', 't'), task('other', 't')], { 'svc:t': ['lib:t'] });
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    const results = await collect(run(tg, { 'lib:t': { fail: true }, 'svc:t': {}, 'other:t': {} }, {}, context));
    expect(ran.sort()).toEqual(['lib', 'other']);
    const svc = results.find((r) => r.task === 'svc:t');
    expect(svc?.result).toMatchObject({ success: false, terminalOutput: 'svc:t was not run: lib:t failed, and it depends on it.\n' });
    expect(results.find((r) => r.task === 'other:t')?.result.success).toBe(true);
  });

  it('reports a failing or throwing task as failed and still runs the others', async () => {
    const run = batchOf(async (options: { fail?: 'return' | 'throw' }) => {
      if (options.fail === 'throw') throw new Error('boom');
      return { success: options.fail !== 'return' };
    });
    const tg = graph([task('a', 't'), task('b', 't'), task('c', 't')]);
    const results = await collect(run(tg, { 'a:t': { fail: 'return' }, 'b:t': { fail: 'throw' }, 'c:t': {} }, {}, context));
    expect(results.map((r) => [r.task, r.result.success])).toEqual([
      ['a:t', false],
      ['b:t', false],
      ['c:t', true],
    ]);
  });

  it('runs up to the given number of tasks at once, and a task only after its dependencies in the batch', async () => {
    let active = 0;
    let peak = 0;
    const finished: string[] = [];
    const run = batchOf(
      async (options: { id: string; deps?: string[] }) => {
        expect(options.deps?.every((d) => finished.includes(d)) ?? true).toBe(true);
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, 20));
        active--;
        finished.push(options.id);
        return { success: true };
      },
      { concurrency: 2 },
    );
    const tasks = ['a', 'b', 'c', 'd'].map((p) => task(p, 't'));
    const tg = graph(tasks, { 'd:t': ['a:t'] });
    const inputs = Object.fromEntries(tasks.map((t) => [t.id, { id: t.id, deps: t.id === 'd:t' ? ['a:t'] : [] }]));
    const results = await collect(run(tg, inputs, { id: '' }, context));
    expect(peak).toBe(2);
    expect(results.map((r) => r.task)).toEqual(['a:t', 'b:t', 'c:t', 'd:t']);
    expect(results.every((r) => r.result.success)).toBe(true);
  });
});

describe('inDependencyOrder', () => {
  it('puts a task after the tasks of the batch it depends on, and ignores dependencies outside the batch', () => {
    const tg = graph([task('a', 'ecr-push'), task('a', 'docker-build'), task('b', 'ecr-push')], {
      'a:ecr-push': ['a:docker-build'],
      'b:ecr-push': ['b:docker-build'],
    });
    expect(inDependencyOrder(tg, ['a:ecr-push', 'b:ecr-push', 'a:docker-build'])).toEqual(['a:docker-build', 'a:ecr-push', 'b:ecr-push']);
  });
});
