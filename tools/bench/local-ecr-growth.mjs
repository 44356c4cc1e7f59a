#!/usr/bin/env node
// `node tools/bench/local-ecr-growth.mjs [--requests N]`: the local-ecr growth figure alone (the benchmark runs it too).
import { parseArgs } from 'node:util';
import console from 'node:console';
import process from 'node:process';
import { growthTable, measureTokenGrowth } from './lib/local-ecr-growth.mjs';

const { values } = parseArgs({ options: { requests: { type: 'string' } } });
const requests = Number(values.requests ?? 100_000);
if (!Number.isInteger(requests) || requests < 1) {
  console.error(`local-ecr-growth: --requests must be a positive integer, got "${values.requests}".`);
  process.exit(2);
}
measureTokenGrowth({ requests }).then(
  (figure) => console.log(growthTable(figure)),
  (error) => {
    console.error(`local-ecr-growth: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
