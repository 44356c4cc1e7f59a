#!/usr/bin/env node
// The `local-ecr` command. It runs the TypeScript sources directly (no build step) through @swc-node/register.
const { join } = require('node:path');

process.env.SWC_NODE_PROJECT ??= join(__dirname, '..', 'tsconfig.lib.json');
require('@swc-node/register');
require('../src/cli/cli.ts').run(process.argv.slice(2), join(__dirname, 'local-ecr.js'));
