// Shared jest settings. execa and its dependencies are ES modules. Node >= 20.19 require()s them natively, but jest's
// module sandbox can only from Node 24.9 on; before that, jest compiles exactly those packages to CommonJS with babel.
const { join } = require('node:path');
const vm = require('node:vm');

// Node >= 24.9 (with --experimental-vm-modules, which tools/test.sh sets) lets jest require() ES modules natively:
// it loads execa's tree as ESM, so compiling it to CommonJS first would break it ("exports is not defined").
const jestRequiresEsmNatively = typeof vm.SourceTextModule?.prototype.hasAsyncGraph === 'function';

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
    '^.+\\.m?js$': [
      'babel-jest',
      { babelrc: false, configFile: false, presets: [['@babel/preset-env', { targets: { node: '20' }, modules: 'commonjs' }]] },
    ],
  },
  transformIgnorePatterns: jestRequiresEsmNatively ? ['/node_modules/'] : [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  // unicorn-magic exports only under the "import" condition, which jest's CommonJS resolver does not use.
  moduleNameMapper: jestRequiresEsmNatively ? {} : { '^unicorn-magic$': join(__dirname, 'node_modules/unicorn-magic/node.js') },
});
