// The e2e suites that need no container engine (engine-free.js lists them): real Nx, git and workflow tooling on
// scratch copies of the workspace, run before the container toolchain is set up.
const preset = require('../jest.preset');
const engineFree = require('./engine-free');

/** @type {import('jest').Config} */
module.exports = {
  ...preset('<rootDir>/tsconfig.json'),
  displayName: 'e2e-engine-free',
  rootDir: __dirname,
  testMatch: engineFree.map((path) => (path.endsWith('.ts') ? path : `${path}**/*.spec.ts`)),
  setupFilesAfterEnv: ['<rootDir>/src/support/timeouts.ts'],
  slowTestThreshold: 60,
};
