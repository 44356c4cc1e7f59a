// Integration and end-to-end suites: the real Docker engine, buildx, QEMU, a real registry and local-ecr.
// They never skip: globalSetup fails the run when the toolchain cannot be set up.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'e2e',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  globalSetup: '<rootDir>/src/support/global-setup.ts',
  testTimeout: 15 * 60 * 1000,
  slowTestThreshold: 60,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
