// Unit tests of the plugin: they fake only the process runner and the AWS clients.
const preset = require('../../jest.preset');

/** @type {import('jest').Config} */
module.exports = {
  ...preset('<rootDir>/tsconfig.spec.json'),
  displayName: 'nx-agent-ecr',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  modulePathIgnorePatterns: ['<rootDir>/src/generators/.*/files/'],
};
