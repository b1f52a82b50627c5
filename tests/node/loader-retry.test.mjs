// A load that fails is not remembered: the next loadNormCore() tries again. Its own file, so that
// no earlier test in this process has loaded (and memoised) the build it fails.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { loadNormCore } from '../../web/src/core/index.js';

it('forgets a failed load, so a second call loads the build', async () => {
  const instantiate = WebAssembly.instantiate;
  const warn = console.warn;
  WebAssembly.instantiate = () => Promise.reject(new Error('instantiation refused by the test'));
  console.warn = () => {}; // the glue reports the failure on the console
  try {
    await assert.rejects(loadNormCore({ variant: 'scalar' }), /instantiation refused by the test/);
  } finally {
    WebAssembly.instantiate = instantiate;
    console.warn = warn;
  }
  const core = await loadNormCore({ variant: 'scalar' });
  assert.equal(core.variant, 'scalar');
  assert.equal(core.layerNorm([1, 3], { n: 1, c: 2 }).y.length, 2);
});
