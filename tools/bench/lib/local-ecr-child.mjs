// Child process that runs local-ecr (TypeScript source, via @swc-node/register) until SIGTERM; prints its address.
// argv: <state dir> [api latency ms]: with a latency, every ECR API and STS call waits that long before its answer
// (local-ecr's delay faults), as calls to AWS from a CI runner do; the registry's data path is not slowed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import process from 'node:process';

const require = createRequire(import.meta.url);
require('@swc-node/register');
const { startLocalEcr } = require('local-ecr');

const ecr = await startLocalEcr({ stateDir: process.argv[2], port: 0 });
const latencyMs = Number(process.argv[3] ?? 0);
if (latencyMs > 0) {
  const { OPERATIONS } = require('local-ecr/src/lib/ecr-api');
  for (const operation of [...OPERATIONS.keys(), 'GetCallerIdentity']) await ecr.faults.add({ operation, delayMs: latencyMs });
}
const pid = JSON.parse(readFileSync(join(process.argv[2], 'local-ecr.json'), 'utf8')).pid;
const line = { endpoint: ecr.endpoint, registryHost: ecr.registryHost, env: ecr.env, adminSecret: ecr.adminSecret, pid };
process.stdout.write(`${JSON.stringify(line)}\n`);
const stop = () => ecr.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop).resume();
