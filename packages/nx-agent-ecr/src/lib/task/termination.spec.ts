// Ctrl-C, SIGTERM and SIGHUP reach every open run scope through one listener pair; a real process proves the whole path:
// the signal aborts the task, the task's child process stops, the login config goes, the executor returns.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { onTermination } from './termination';

describe('onTermination', () => {
  it('installs one SIGINT/SIGTERM/SIGHUP listener set however many register, and removes it with the last', () => {
    const host = new EventEmitter();
    const aborted: string[] = [];
    const offA = onTermination(() => aborted.push('a'), host);
    const offB = onTermination(() => aborted.push('b'), host);
    expect([host.listenerCount('SIGINT'), host.listenerCount('SIGTERM'), host.listenerCount('SIGHUP')]).toEqual([1, 1, 1]);
    host.emit('SIGTERM');
    expect(aborted).toEqual(['a', 'b']);
    offA();
    expect(host.listenerCount('SIGINT')).toBe(1);
    offB();
    offB();
    expect([host.listenerCount('SIGINT'), host.listenerCount('SIGTERM'), host.listenerCount('SIGHUP')]).toEqual([0, 0, 0]);
  });
});

// The child loads the plugin's TypeScript through @swc-node/register, as Nx does in this workspace.
const CHILD = `
require('@swc-node/register');
const { createRunScope } = require(${JSON.stringify(join(__dirname, 'run-scope.ts'))});
const { runProcess, withSignal } = require(${JSON.stringify(join(__dirname, '..', 'process.ts'))});
(async () => {
  const scope = createRunScope();
  const task = scope.startTask();
  const session = scope.loginSession({ region: 'us-east-1' });
  const run = withSignal(runProcess, task.signal);
  const pending = run(process.execPath, ['-e', 'console.log(process.pid); setTimeout(() => {}, 60000)'], { stream: true });
  process.stdout.write('config ' + session.configDir + '\\n');
  const result = await pending;
  task.end();
  scope.dispose();
  process.stdout.write('canceled ' + result.canceled + ' listeners ' + process.listenerCount('SIGINT') + '\\n');
})();
`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a real process', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    'on %s: the task child stops, the temp Docker config goes, the process ends normally',
    async (signal) => {
      const env = { ...process.env, NODE_NO_WARNINGS: '1' }; // the SDK's Node.js version notice is not an error
      const child = spawn(process.execPath, ['-e', CHILD], {
        cwd: join(__dirname, '..', '..', '..'),
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const grandchild = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const pid = /^(\d+)$/m.exec(out)?.[1];
          if (pid && out.includes('config ')) resolve(Number(pid));
        });
        child.on('exit', () => reject(new Error(`child ended early:\n${out}\n${err}`)));
      });
      const configDir = /^config (.+)$/m.exec(out)?.[1] ?? '';
      expect(existsSync(configDir)).toBe(true);
      child.kill(signal);
      const [code, killedBy] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.on('exit', (c, s) => resolve([c, s])),
      );
      expect({ code, killedBy, err }).toEqual({ code: 0, killedBy: null, err: '' });
      expect(out).toContain('canceled true listeners 0');
      expect(existsSync(configDir)).toBe(false);
      expect(alive(grandchild)).toBe(false);
    },
    30_000,
  );
});
