// Unit tests of the plugin: they fake only the process runner and the AWS clients.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'nx-agent-ecr',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  modulePathIgnorePatterns: ['<rootDir>/src/generators/.*/files/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
