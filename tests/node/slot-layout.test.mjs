// The slot table has one description, kSlotLayout in cpp/bindings/embind.cpp: the loader checks
// its own table against it at load (web/src/core/slot-layout.js). These tests hold the check to
// catching each kind of drift, and the shipped tables to agreeing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import createNormCore from '../../web/src/core/wasm/core-simd.mjs';
import { checkSlotLayout } from '../../web/src/core/slot-layout.js';

const wasmBinary = readFileSync(new URL('../../web/src/core/wasm/core-simd.wasm', import.meta.url));
const module = await createNormCore({ wasmBinary });
const layout = module.slotLayout();

// The loader's table in the form checkSlotLayout takes, built from the core's layout.
function tableFrom(source) {
  const table = {};
  for (const [fn, { inputs, outputs }] of Object.entries(source.operations))
    table[fn] = { inputs: [...inputs], outputs: outputs.map((name) => ({ name })) };
  return table;
}

describe('slot layout', () => {
  it('is served by the core with every operation and the table size', () => {
    assert.deepEqual(Object.keys(layout.operations).sort(), [
      'batchNorm',
      'batchNormBackward',
      'groupNorm',
      'groupNormBackward',
      'instanceNorm',
      'instanceNormBackward',
      'layerNorm',
      'layerNormBackward',
      'rmsNorm',
      'rmsNormBackward',
      'sample',
    ]);
    assert.deepEqual(layout.operations.batchNorm.inputs, [
      'x',
      'gamma',
      'beta',
      'runningMean',
      'runningVar',
    ]);
    assert.equal(layout.slots, 10);
  });

  it('accepts a table that agrees with the core', () => {
    checkSlotLayout(layout, tableFrom(layout));
  });

  it('names an input order that differs', () => {
    const table = tableFrom(layout);
    table.batchNorm.inputs = ['x', 'beta', 'gamma', 'runningMean', 'runningVar'];
    assert.throws(() => checkSlotLayout(layout, table), {
      message:
        /batchNorm inputs: loader x beta gamma runningMean runningVar, core x gamma beta runningMean runningVar/,
    });
  });

  it('names a missing output', () => {
    const table = tableFrom(layout);
    table.rmsNorm.outputs = [{ name: 'y' }];
    assert.throws(() => checkSlotLayout(layout, table), {
      message: /rmsNorm outputs: loader y, core y rms/,
    });
  });

  it('names an empty list as (none), so a side that lost every output still reads', () => {
    const table = tableFrom(layout);
    table.rmsNorm.outputs = [];
    assert.throws(() => checkSlotLayout(layout, table), {
      message:
        /^loadNormCore: the loader's slot table \(web\/src\/core\/api.js\) and the core's \(cpp\/bindings\/embind.cpp kSlotLayout\) disagree: rmsNorm outputs: loader \(none\), core y rms$/,
    });
  });

  it('names an operation on one side only', () => {
    const table = tableFrom(layout);
    table.fooNorm = { inputs: ['x'], outputs: [{ name: 'y' }] };
    delete table.sample;
    assert.throws(() => checkSlotLayout(layout, table), {
      message:
        /fooNorm is missing from kSlotLayout; sample is in kSlotLayout but not in the loader's table/,
    });
  });

  it('names an operation that needs more slots than the table has', () => {
    const table = tableFrom(layout);
    const small = { ...layout, slots: 4 };
    assert.throws(() => checkSlotLayout(small, table), {
      message: /batchNorm needs 10 slots, the core has 4/,
    });
  });
});
