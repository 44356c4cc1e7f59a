// A killed run's temp folders (a login folder holds a registry token) are removed by the next run: only those
// whose owner process is gone, never a live run's, and never a folder of another program.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markOwner, removeStaleTempDirs } from './stale-temp';

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'stale-temp-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A pid that surely no longer runs: a child that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;

function folder(name: string, owner?: object): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.json'), '{"auths":{"x":{"auth":"token"}}}');
  if (owner) writeFileSync(join(dir, '.owner.json'), JSON.stringify(owner));
  return dir;
}

describe('removeStaleTempDirs', () => {
  it("removes a folder whose owner died, keeps a live owner's, and leaves other programs' folders alone", () => {
    const dead = folder('nx-agent-ecr-docker-dead', { pid: Number(deadPid()) });
    const live = folder('nx-agent-ecr-build-live');
    markOwner(live);
    const other = folder('other-program-docker-x', { pid: Number(deadPid()) });
    expect(removeStaleTempDirs(root)).toEqual([dead]);
    expect([existsSync(dead), existsSync(live), existsSync(other)]).toEqual([false, true, true]);
  });

  it('treats a reused pid (same pid, another start time) as gone', () => {
    const reused = folder('nx-agent-ecr-docker-reused', { pid: process.pid, start: 'not-this-process' });
    expect(removeStaleTempDirs(root)).toEqual([reused]);
  });

  it('removes a folder without an owner file only once it is a day old', () => {
    const fresh = folder('nx-agent-ecr-docker-fresh');
    const old = folder('nx-agent-ecr-docker-old');
    const dayAgo = (Date.now() - 25 * 60 * 60_000) / 1000;
    utimesSync(old, dayAgo, dayAgo);
    expect(removeStaleTempDirs(root)).toEqual([old]);
    expect(existsSync(fresh)).toBe(true);
  });
});
