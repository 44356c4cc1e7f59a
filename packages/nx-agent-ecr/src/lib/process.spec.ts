import { CommandNotFoundError, runProcess, withSignal, type RunOptions } from './process';

// These run real tiny subprocesses: this module is the one place where processes are spawned.
const node = process.execPath;

describe('runProcess', () => {
  it('returns stdout and exit code 0 for a successful child', async () => {
    const result = await runProcess(node, ['-e', 'process.stdout.write("hello")']);
    expect(result).toMatchObject({ exitCode: 0, stdout: 'hello', canceled: false });
  });

  it('treats a non-zero exit as data: it resolves with the code and the stderr', async () => {
    const result = await runProcess(node, ['-e', 'console.error("boom"); process.exit(3)']);
    expect(result).toMatchObject({ exitCode: 3, stderr: 'boom' });
  });

  it('passes arguments verbatim, with no shell interpretation', async () => {
    const tricky = '$(echo pwned); `id` && rm -rf / "quoted"';
    const result = await runProcess(node, ['-e', 'process.stdout.write(process.argv[1])', tricky]);
    expect(result.stdout).toBe(tricky);
  });

  it('sends input on stdin', async () => {
    const script = 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(s.toUpperCase()))';
    const result = await runProcess(node, ['-e', script], { input: 'secret' });
    expect(result.stdout).toBe('SECRET');
  });

  it('adds env to the parent environment rather than replacing it', async () => {
    const script = 'process.stdout.write(String(!!process.env.PATH) + process.env.EXTRA)';
    const result = await runProcess(node, ['-e', script], { env: { EXTRA: '-x' } });
    expect(result.stdout).toBe('true-x');
  });

  it('stops the child when the signal aborts, and reports it as canceled', async () => {
    const controller = new AbortController();
    const pending = runProcess(node, ['-e', 'setTimeout(() => {}, 60000)'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const result = await pending;
    expect(result.canceled).toBe(true);
    expect(result.exitCode).not.toBe(0);
  });

  it('stops the child at its deadline (SIGTERM, SIGKILL a second later) and says so in the last stderr line', async () => {
    const started = Date.now();
    const ignoresTerm = 'process.on("SIGTERM", () => {}); setTimeout(() => {}, 60000)';
    const result = await runProcess(node, ['-e', ignoresTerm], { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ timedOut: true, canceled: false });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.split('\n').at(-1)).toBe(`${node} -e did not finish within 0.3s and was stopped`);
  });

  it('withSignal gives every call the task signal and a default deadline, unless the call brings its own', async () => {
    const seen: RunOptions[] = [];
    const run = withSignal(
      async (_file, _args, options = {}) => (
        seen.push(options),
        { command: '', exitCode: 0, stdout: '', stderr: '', canceled: false, durationMs: 0 }
      ),
      AbortSignal.abort(),
      5_000,
    );
    await run('git', ['status']);
    await run('docker', ['push', 'x'], { timeoutMs: 60_000 });
    expect(seen.map((o) => [o.signal?.aborted, o.timeoutMs])).toEqual([
      [true, 5_000],
      [true, 60_000],
    ]);
  });

  it('throws CommandNotFoundError when the program does not exist', async () => {
    await expect(runProcess('definitely-not-a-real-binary-xyz', [])).rejects.toBeInstanceOf(CommandNotFoundError);
  });
});
