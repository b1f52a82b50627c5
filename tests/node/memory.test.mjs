// Repeated calls reuse the core's memory: no growth after warm-up, even across errors.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { builds } from './support/cores.mjs';

for (const core of builds) {
  it(`${core.variant}: 20,000 calls do not grow the module's memory after warm-up`, () => {
    const x = core.sample({ n: 256, c: 16, seed: 1 });
    const shape = { n: 256, c: 16 };
    const run = (i) => {
      core.batchNorm(x, shape, { momentum: 0.1 });
      core.layerNorm(x, shape);
      core.groupNorm(x, shape, { groups: 4 });
      core.rmsNorm(x, shape);
      core.sample({ n: 256, c: 16, seed: i });
      assert.throws(() => core.batchNorm(x, { n: 255, c: 16 }), {
        name: 'RangeError',
        message: /^batchNorm: x has 4096 values, expected n\*c\*s = 4080/,
      });
    };
    for (let i = 0; i < 100; i++) run(i);
    const memory = core.memoryBytes,
      inUse = core.heapInUse;
    assert.ok(inUse > 0, 'the allocator reports what it holds');
    for (let i = 0; i < 20000 / 6; i++) run(i);
    assert.equal(core.memoryBytes, memory);
    assert.equal(core.heapInUse, inUse);
  });
}
