// The e2e suites that need no container engine: they run Nx, git and the workflow linter on scratch copies of the
// workspace. tools/test.sh runs them with the unit tests, before the toolchain is set up, so they fail fast.
// jest.config.js (real engine) leaves exactly these out; jest.engine-free.config.js runs exactly these.
module.exports = ['<rootDir>/src/graph/', '<rootDir>/src/workflow/', '<rootDir>/src/install/', '<rootDir>/src/wiring.spec.ts'];
