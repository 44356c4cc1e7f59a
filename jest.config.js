// Every jest project of the workspace. tools/test.sh runs them (unit first, then the real-engine suites).
/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/packages/nx-agent-ecr', '<rootDir>/packages/local-ecr', '<rootDir>/e2e'],
};
