// Preloaded (NODE_OPTIONS=--import) when BENCH_CPU_PROFILE_DIR is set: CPU-profiles this node process, written at exit.
// NODE_OPTIONS refuses --cpu-prof, so the inspector's profiler is driven from here; in-thread calls answer synchronously.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import process from 'node:process';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
    // Which packages the process loaded (CommonJS cache), to name what the module-loading time is spent on.
    const modules = {};
    for (const file of Object.keys(createRequire(import.meta.url).cache)) {
      const pkg = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? (file.endsWith('.ts') ? '(plugin .ts source)' : '(other)');
      const group = /^@(aws-sdk|smithy|aws-crypto)\//.test(pkg) ? 'AWS SDK (@aws-sdk, @smithy)' : pkg;
      modules[group] = (modules[group] ?? 0) + 1;
    }
    writeFileSync(join(dir, `${process.pid}.modules.json`), JSON.stringify(modules));
  });
  // Nx ends its batch worker with SIGTERM once the batch is done (the worker's sockets may keep it alive): without
  // this, that process would end with no 'exit' event and leave no profile.
  process.once('SIGTERM', () => process.exit(143));
}
