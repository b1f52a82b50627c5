// Stryker over the loader (web/src/core/*.js, not the generated wasm/ glue) and the per-normalisation
// descriptions (web/src/norms.js). Run through ./build.sh mutate, after a build.
//
// The tap runner runs each Node test file on its own (node:test prints TAP) and, with per-test
// coverage, runs a mutant only against the files that reached it (a "test" is a whole file here):
// a mutant in norms.js costs the few files that import it, and a killed mutant stops at the first
// file that fails. One on the loader's call path still reaches most files: that is the cost.
// Left out: the lab's presets (17 s, and it reaches the loader only through calls the other files
// make) and the memory soak (4 s of the same five calls repeated).
export default {
  testRunner: 'tap',
  tap: {
    // Every Node test file but the two named above (an extglob: a new test file is included).
    testFiles: ['tests/node/!(presets|memory).test.mjs'],
  },
  coverageAnalysis: 'perTest',
  mutate: ['web/src/core/*.js', 'web/src/norms.js'],
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
    '.stryker-tmp',
  ],
  // Two test runners: the whole set took 15 min 51 s this way on the 2-core machine, quiet.
  concurrency: 2,
  // A mutant that loops or grows the memory without end is a timeout: the slowest file under test
  // (hostile.test.mjs) takes about 2 s, so a limit of 10 s beyond 1.5 times the measured time is
  // ample even on a loaded machine, and a hanging mutant does not cost a minute.
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'build-mutate/stryker/index.html' },
  jsonReporter: { fileName: 'build-mutate/stryker/report.json' },
  tempDirName: 'build-mutate/stryker-tmp',
  cleanTempDir: true,
  thresholds: { high: 90, low: 85, break: 85 },
};
