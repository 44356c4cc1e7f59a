// The run scope: what a process shares between its tasks (clients, one login per registry, presence) and the one
// signal that ends them.
import { DescribeImagesCommand, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import 'aws-sdk-client-mock-jest';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mockedClients } from '../aws/test-support';
import { createRunScope } from './run-scope';

const TOKEN = Buffer.from('AWS:scope-password-1').toString('base64');

function setup() {
  const aws = mockedClients();
  aws.ecrMock
    .on(GetAuthorizationTokenCommand)
    .resolves({ authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: 'https://1.dkr.ecr.us-east-1.amazonaws.com' }] });
  const createClients = jest.fn(() => aws.clients);
  const signals = new EventEmitter();
  return { aws, createClients, signals, scope: createRunScope({ createClients, signals }) };
}

describe('createRunScope', () => {
  it('builds the SDK clients once per target and hands every task ports over them', async () => {
    const { scope, createClients, aws } = setup();
    const a = scope.startTask();
    const b = scope.startTask();
    await scope.aws({ region: 'us-east-1' }, a.signal).sts.getCallerIdentity();
    await scope.aws({ region: 'us-east-1' }, b.signal).sts.getCallerIdentity();
    scope.aws({ region: 'eu-west-1' }, b.signal);
    expect(createClients.mock.calls).toEqual([[{ region: 'us-east-1' }], [{ region: 'eu-west-1' }]]);
    expect(aws.stsMock.calls()).toHaveLength(2);
    scope.dispose();
  });

  it('holds one login session per target: two tasks logging in to the same registry ask for one token', async () => {
    const { scope, aws } = setup();
    const [first, second] = [scope.loginSession({ region: 'us-east-1' }), scope.loginSession({ region: 'us-east-1' })];
    expect(first).toBe(second);
    await Promise.all([first.login(), second.login()]);
    expect(aws.ecrMock).toHaveReceivedCommandTimes(GetAuthorizationTokenCommand, 1);
    expect(scope.secrets()).toContain(TOKEN);
    scope.dispose();
    expect(existsSync(first.configDir)).toBe(false);
  });

  it("keeps a role's clients apart from the same region's without it, and redacts the role's secrets", () => {
    const { aws, signals } = setup();
    const createClients = jest.fn((target: { roleArn?: string }) => ({
      ...aws.clients,
      ...(target.roleArn ? { secrets: () => ['role-secret-key-1', 'role-session-token-1'] } : {}),
    }));
    const scope = createRunScope({ createClients, signals });
    const task = scope.startTask();
    scope.aws({ region: 'us-east-1' }, task.signal);
    scope.aws({ region: 'us-east-1', roleArn: 'arn:aws:iam::111111111111:role/r' }, task.signal);
    scope.aws({ region: 'us-east-1', roleArn: 'arn:aws:iam::111111111111:role/r', endpoint: 'http://127.0.0.1:1' }, task.signal);
    expect(createClients).toHaveBeenCalledTimes(3);
    expect(scope.secrets()).toEqual(['role-secret-key-1', 'role-session-token-1', 'role-secret-key-1', 'role-session-token-1']);
    scope.dispose();
  });

  it('shares one presence lookup per target', async () => {
    const { scope, aws } = setup();
    aws.ecrMock.on(DescribeImagesCommand).resolves({});
    expect(scope.presence({ region: 'us-east-1' })).toBe(scope.presence({ region: 'us-east-1' }));
    await expect(scope.presence({ region: 'us-east-1' }).locate({ repositoryName: 'r', contentTag: 'content-1' })).resolves.toEqual({
      where: 'nowhere',
    });
    scope.dispose();
  });

  it('computes a fact of the run once for every task that asks; a failure reaches each asker, and a later one asks again', async () => {
    const { scope } = setup();
    const compute = jest.fn(async () => 'abc1234');
    await expect(Promise.all([scope.once('git-sha', compute), scope.once('git-sha', compute)])).resolves.toEqual(['abc1234', 'abc1234']);
    expect(compute).toHaveBeenCalledTimes(1);
    const failing = jest.fn(() => Promise.reject(new Error('no git')));
    scope.once('broken', failing); // nobody awaits this one: it must not be an unhandled rejection
    await expect(scope.once('broken', failing)).rejects.toThrow('no git');
    expect(failing).toHaveBeenCalledTimes(1);
    // Once it failed, the next asker (a task after its batch's planner) asks again and gets its own answer.
    await expect(scope.once('broken', compute)).resolves.toBe('abc1234');
    expect(compute).toHaveBeenCalledTimes(2);
    scope.dispose();
  });

  it("aborts every task's signal and removes the login config on SIGINT, and stops listening when disposed", () => {
    const { scope, signals } = setup();
    const task = scope.startTask();
    const session = scope.loginSession({ region: 'us-east-1' });
    expect(signals.listenerCount('SIGINT')).toBe(1);
    signals.emit('SIGINT');
    expect([scope.signal.aborted, task.signal.aborted]).toEqual([true, true]);
    expect(existsSync(session.configDir)).toBe(false);
    expect(scope.startTask().signal.aborted).toBe(true);
    scope.dispose();
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });
});
