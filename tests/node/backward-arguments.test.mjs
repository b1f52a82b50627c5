// The gradients' refusals name the argument that was wrong and what was expected, for every
// backward pass (the forward passes' are in errors.test.mjs), and a refusal leaves the core usable.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { simd as core } from './support/cores.mjs';

const shape = { n: 2, c: 4 };
const x = Float32Array.from({ length: 8 }, (_, i) => i);
const dy = new Float32Array(8).fill(1);
const ARRAY = 'expected a Float32Array or an array of numbers';

const BACKWARD = {
  batchNormBackward: {},
  layerNormBackward: {},
  instanceNormBackward: {},
  groupNormBackward: { groups: 2 },
  rmsNormBackward: {},
};

for (const [fn, needed] of Object.entries(BACKWARD)) {
  it(`${fn} names x, dy, options and eps when they are wrong`, () => {
    const cases = [
      [() => core[fn](dy, undefined, shape, needed), `${fn}: x is undefined, ${ARRAY}`],
      [() => core[fn](dy, 'no', shape, needed), `${fn}: x is a string ("no"), ${ARRAY}`],
      [() => core[fn]('no', x, shape, needed), `${fn}: dy is a string ("no"), ${ARRAY}`],
      [() => core[fn](dy, x, shape, 5), `${fn}: options is 5, expected an object`],
      [
        () => core[fn](dy, x, shape, { ...needed, eps: 'a' }),
        `${fn}: eps is a string ("a"), expected a number`,
      ],
    ];
    for (const [call, message] of cases) assert.throws(call, { name: 'TypeError', message });
    // Nothing broke: the same call with good arguments gives a gradient of x's length.
    assert.equal(core[fn](dy, x, shape, needed).dx.length, x.length);
  });
}

it('batchNormBackward names training when it is not a boolean', () => {
  assert.throws(() => core.batchNormBackward(dy, x, shape, { training: 'a' }), {
    name: 'TypeError',
    message: 'batchNormBackward: training is a string ("a"), expected true or false',
  });
});

it('groupNormBackward asks for groups when they are missing, and for a whole number', () => {
  assert.throws(() => core.groupNormBackward(dy, x, shape, {}), {
    name: 'TypeError',
    message: 'groupNormBackward: groups is undefined, expected a whole number that divides c',
  });
  assert.throws(() => core.groupNormBackward(dy, x, shape, { groups: 1.5 }), {
    name: 'RangeError',
    message: 'groupNormBackward: groups is 1.5, expected a whole number',
  });
});

// The forward batch norm's momentum, the one option name the other message tests left unpinned.
it('batchNorm names momentum when it is not a number', () => {
  assert.throws(() => core.batchNorm(x, shape, { momentum: 'a' }), {
    name: 'TypeError',
    message: 'batchNorm: momentum is a string ("a"), expected a number',
  });
});
