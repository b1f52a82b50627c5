// The loader's own choices: which build it loads, how it detects SIMD, and the checks it makes
// before a sample with per-channel numbers allocates anything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadNormCore, simdSupported } from '../../web/src/core/index.js';
import { assertSameBits } from './support/compare.mjs';

describe('choosing a build', () => {
  it('detects SIMD in Node 20 and loads the SIMD build by default', async () => {
    assert.equal(simdSupported(), true);
    const core = await loadNormCore();
    assert.equal(core.simd, true);
    assert.equal(core.variant, 'simd');
  });

  it('reports no SIMD when the engine cannot even validate the probe, and then loads scalar', async () => {
    const validate = WebAssembly.validate;
    WebAssembly.validate = () => {
      throw new Error('validate unavailable');
    };
    try {
      assert.equal(simdSupported(), false);
      assert.equal((await loadNormCore()).variant, 'scalar');
    } finally {
      WebAssembly.validate = validate;
    }
  });

  it('loads the scalar build when asked, and it is a different module', async () => {
    const scalar = await loadNormCore({ variant: 'scalar' });
    assert.equal(scalar.simd, false);
    assert.equal(scalar.variant, 'scalar');
    assert.notEqual(scalar, await loadNormCore({ variant: 'simd' }));
  });

  it('names the three choices when the variant is not a string', async () => {
    await assert.rejects(loadNormCore({ variant: 2 }), {
      name: 'TypeError',
      message: /^loadNormCore: variant is 2, expected "auto", "simd" or "scalar"$/,
    });
  });
});

describe('sample with per-channel numbers', () => {
  it('treats a number as that value for every channel', async () => {
    const core = await loadNormCore();
    const shape = { n: 40, c: 3, s: 2, seed: 9 };
    const fromNumbers = core.sample({ ...shape, offset: 2, scale: 0.5 });
    const fromArrays = core.sample({ ...shape, offset: [2, 2, 2], scale: [0.5, 0.5, 0.5] });
    assertSameBits(fromNumbers, fromArrays, 'numbers against arrays');
  });

  it('refuses, before allocating, a sample whose arrays exceed the 2 GiB of memory', async () => {
    const core = await loadNormCore();
    // n*c*s = 2^29 values plus 2c per-channel values: 2^31 + 4,096 bytes.
    assert.throws(() => core.sample({ n: 2 ** 20, c: 2 ** 9, offset: 1 }), {
      name: 'RangeError',
      message:
        'sample: the arguments and results need 2147487744 bytes of WebAssembly memory, more than the 2 GiB it can hold',
    });
  });
});
