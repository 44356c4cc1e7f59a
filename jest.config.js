// Every jest project of the workspace. tools/test.sh runs them: unit and engine-free first, then the real engine.
/** @type {import('jest').Config} */
module.exports = {
  projects: [
    '<rootDir>/packages/nx-agent-ecr',
    '<rootDir>/packages/local-ecr',
    '<rootDir>/e2e/jest.engine-free.config.js',
    '<rootDir>/e2e',
  ],
};
