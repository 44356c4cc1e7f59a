// Integration and end-to-end suites: the real Docker engine, buildx, QEMU, a real registry and local-ecr.
// They never skip: globalSetup fails the run when the toolchain cannot be set up.
const preset = require('../jest.preset');
const engineFree = require('./engine-free');

/** @type {import('jest').Config} */
module.exports = {
  ...preset('<rootDir>/tsconfig.json'),
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...engineFree],
  globalSetup: '<rootDir>/src/support/global-setup.ts',
  // testTimeout is a global option that a `projects` entry cannot set; this file sets it for the e2e project.
  setupFilesAfterEnv: ['<rootDir>/src/support/timeouts.ts'],
  slowTestThreshold: 60,
};
