// The package entry Nx loads for graph inference: the compiled plugin (src/index.ts in dist/). In a development
// checkout, sources edited since the last compile are compiled first, at load and before each graph computation (a
// long-lived Nx daemon keeps this module), so Nx never runs stale executors; an installed package skips the check.
'use strict';
const { ensureCompiled } = require('./scripts/compile.cjs');

ensureCompiled();
const plugin = require('./dist/index.js');

const [pattern, createNodes] = plugin.createNodes;
const freshCreateNodes = [pattern, (...args) => (ensureCompiled(), createNodes(...args))];
module.exports = {
  ...plugin,
  createNodes: freshCreateNodes,
  createNodesV2: freshCreateNodes,
  createDependencies: (...args) => (ensureCompiled(), plugin.createDependencies(...args)),
};
