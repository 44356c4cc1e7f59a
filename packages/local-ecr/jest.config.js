// Unit tests of local-ecr's protocol handling; its tests against real clients live in e2e/.
const preset = require('../../jest.preset');

/** @type {import('jest').Config} */
module.exports = {
  ...preset('<rootDir>/tsconfig.spec.json'),
  displayName: 'local-ecr',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
