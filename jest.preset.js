// Shared jest settings. execa and its dependencies are ES modules; Node >= 20.19 require()s them natively, but
// jest's module sandbox cannot on Node 20, so jest compiles exactly those packages to CommonJS with babel.
const { join } = require('node:path');

const esmPackages = [
  'execa',
  '@sindresorhus/merge-streams',
  '@sec-ant/readable-stream',
  'figures',
  'get-stream',
  'human-signals',
  'is-plain-obj',
  'is-stream',
  'is-unicode-supported',
  'npm-run-path',
  'parse-ms',
  'path-key',
  'pretty-ms',
  'strip-final-newline',
  'unicorn-magic',
  'yoctocolors',
];

/** @param {string} tsconfig @returns {import('jest').Config} */
module.exports = (tsconfig) => ({
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig }],
    '^.+\\.m?js$': ['babel-jest', { babelrc: false, configFile: false, presets: [['@babel/preset-env', { targets: { node: '20' }, modules: 'commonjs' }]] }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  // unicorn-magic exports only under the "import" condition, which jest's CommonJS resolver does not use.
  moduleNameMapper: { '^unicorn-magic$': join(__dirname, 'node_modules/unicorn-magic/node.js') },
});
