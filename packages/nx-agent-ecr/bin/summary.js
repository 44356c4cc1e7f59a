#!/usr/bin/env node
// Prints the one-table summary of a multi-project `nx run-many -t ecr-push` from the ecr-push.json records.
// Usage: nx-agent-ecr-summary [--since <ISO time | epoch ms>] [--root <workspace>] [--json]
'use strict';
const { resolve } = require('node:path');

// The compiled plugin; in a development checkout, compiled first when its sources changed.
require('../scripts/compile.cjs').ensureCompiled();
const load = (module) => require(`../dist/lib/records/${module}.js`);

const USAGE = `Usage: nx-agent-ecr-summary [--since <time>] [--root <dir>] [--json]

Prints the image URIs and one table (service, tag, digest, action, seconds) of the ecr-push records
(dist/images/**/ecr-push.json) in a workspace.

  --since <time>  only records written at or after this ISO time (date -u +%FT%TZ) or epoch milliseconds
  --root <dir>    the workspace root (default: the current directory)
  --json          print the records as JSON instead`;

function parseArgs(argv) {
  const args = { root: process.cwd(), since: undefined, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--json') args.json = true;
    else if (arg === '--root') args.root = resolve(argv[++i] ?? '.');
    else if (arg === '--since') {
      const value = argv[++i] ?? '';
      const since = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
      if (Number.isNaN(since.getTime())) {
        console.error(`--since "${value}" is not a time: pass an ISO time (date -u +%FT%TZ) or epoch milliseconds.`);
        process.exit(2);
      }
      args.since = since;
    } else {
      console.error(`Unknown argument "${arg}". ${USAGE.split('\n')[0]}`);
      process.exit(2);
    }
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const { readEcrPushRecords } = load('ecr-push-record');
const { recordsRoot } = load('names');
const records = readEcrPushRecords(recordsRoot(args.root), args.since);
if (args.json) process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
else if (records.length === 0)
  console.log('No ecr-push records found under dist/images' + (args.since ? ` since ${args.since.toISOString()}` : '') + '.');
else {
  for (const record of records) for (const uri of record.imageUris ?? []) console.log(uri);
  load('summary').printSummary(records);
}
