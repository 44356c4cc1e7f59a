// Preloaded into every node process of a measured command (NODE_OPTIONS=--import): logs its peak RSS at exit.
import { appendFileSync } from 'node:fs';
import process from 'node:process';

const log = process.env.BENCH_RSS_LOG;
if (log) {
  process.on('exit', () => {
    const line = { pid: process.pid, ppid: process.ppid, maxRssKb: process.resourceUsage().maxRSS, argv: process.argv.slice(1, 3) };
    appendFileSync(log, `${JSON.stringify(line)}\n`);
  });
}
