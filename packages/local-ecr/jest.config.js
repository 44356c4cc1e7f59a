// Unit tests of local-ecr's protocol handling; its tests against real clients live in e2e/.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'local-ecr',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
