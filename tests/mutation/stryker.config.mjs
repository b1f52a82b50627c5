// Stryker over the loader (web/src/core/) and, where it exists, the per-normalisation
// descriptions (web/src/norms.js). The command runner runs the Node tests that exercise the loader
// (the content renderer's and the long memory soak's are left out: they test nothing here and
// would triple the time per mutant). Run through ./build.sh mutate, after a build.
import { existsSync } from 'node:fs';

const mutate = ['web/src/core/*.js'];
if (existsSync('web/src/norms.js')) mutate.push('web/src/norms.js');

export default {
  testRunner: 'command',
  commandRunner: {
    command:
      'node --test --test-timeout=60000 tests/node/ops.test.mjs tests/node/errors.test.mjs tests/node/hostile.test.mjs tests/node/sample.test.mjs tests/node/loader.test.mjs',
  },
  mutate,
  // The generated glue (web/src/core/wasm/) is the core's, not the loader's; it is copied, not mutated.
  ignorePatterns: [
    'build-*',
    'dist',
    'test-results',
    'bench',
    'fuzz',
    'cpp',
    'tests/browser',
    'tests/soak',
    'web/content',
    '.stryker-tmp',
  ],
  coverageAnalysis: 'off',
  concurrency: 2,
  timeoutMS: 60000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'build-mutate/stryker/index.html' },
  jsonReporter: { fileName: 'build-mutate/stryker/report.json' },
  tempDirName: 'build-mutate/stryker-tmp',
  cleanTempDir: true,
  thresholds: { high: 90, low: 85, break: 85 },
};
