// Bad input: each throws a TypeError or RangeError whose message names the function, the
// argument, what was given and what was expected; and the core keeps working afterwards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { builds } from './support/cores.mjs';

const x12 = new Float32Array(12).map((_, i) => i);
const shape = { n: 3, c: 4 };

// [what, call(core), error type, message]
const CASES = [
  [
    'x of the wrong length',
    (k) => k.batchNorm(new Float32Array(10), shape),
    RangeError,
    'batchNorm: x has 10 values, expected n*c*s = 12',
  ],
  [
    'x missing',
    (k) => k.layerNorm(undefined, shape),
    TypeError,
    'layerNorm: x is undefined, expected a Float32Array or an array of numbers',
  ],
  [
    'x holding a string',
    (k) => k.batchNorm([1, 2, 'three', 4], { n: 2, c: 2 }),
    TypeError,
    'batchNorm: x[2] is a string ("three"), expected a number',
  ],
  [
    'x holding undefined',
    (k) => k.rmsNorm([1, undefined], { n: 1, c: 2 }),
    TypeError,
    'rmsNorm: x[1] is undefined, expected a number',
  ],
  [
    'x holding an object',
    (k) => k.instanceNorm([1, {}], { n: 1, c: 2 }),
    TypeError,
    'instanceNorm: x[1] is an object, expected a number',
  ],
  [
    'x that is a string',
    (k) => k.batchNorm('1,2,3', shape),
    TypeError,
    'batchNorm: x is a string ("1,2,3"), expected a Float32Array or an array of numbers',
  ],
  [
    'gamma of the wrong length',
    (k) => k.batchNorm(x12, shape, { gamma: [1, 2] }),
    RangeError,
    'batchNorm: gamma has 2 values, expected c = 4',
  ],
  [
    'beta of the wrong length',
    (k) => k.layerNorm(x12, shape, { beta: [1, 2, 3] }),
    RangeError,
    'layerNorm: beta has 3 values, expected c*s = 4',
  ],
  [
    'runningMean of the wrong length',
    (k) => k.batchNorm(x12, shape, { runningMean: [0] }),
    RangeError,
    'batchNorm: runningMean has 1 values, expected c = 4',
  ],
  [
    'runningVar of the wrong length',
    (k) => k.batchNorm(x12, shape, { runningVar: new Float32Array(5) }),
    RangeError,
    'batchNorm: runningVar has 5 values, expected c = 4',
  ],
  [
    'n zero',
    (k) => k.batchNorm([], { n: 0, c: 4 }),
    RangeError,
    'batchNorm: n is 0, expected a whole number >= 1',
  ],
  [
    'c negative',
    (k) => k.layerNorm(x12, { n: 3, c: -4 }),
    RangeError,
    'layerNorm: c is -4, expected a whole number >= 1',
  ],
  [
    's fractional',
    (k) => k.batchNorm(x12, { n: 3, c: 4, s: 1.5 }),
    RangeError,
    'batchNorm: s is 1.5, expected a whole number',
  ],
  [
    'n NaN',
    (k) => k.rmsNorm(x12, { n: NaN, c: 4 }),
    RangeError,
    'rmsNorm: n is NaN, expected a whole number',
  ],
  [
    'n a string',
    (k) => k.rmsNorm(x12, { n: '3', c: 4 }),
    TypeError,
    'rmsNorm: n is a string ("3"), expected a whole number',
  ],
  [
    'shape missing',
    (k) => k.batchNorm(x12),
    TypeError,
    'batchNorm: shape is undefined, expected an object { n, c, s }',
  ],
  [
    'n*c*s over 32 bits',
    (k) => k.batchNorm(x12, { n: 65536, c: 65536, s: 2 }),
    RangeError,
    'batchNorm: n*c*s = 8589934592 elements, expected at most 4294967295 (32 bits)',
  ],
  [
    'n*c*s over 64 bits',
    (k) => k.groupNorm(x12, { n: 2 ** 40, c: 2 ** 40, s: 2 ** 40 }, { groups: 1 }),
    RangeError,
    'groupNorm: n*c*s = 1.3292',
  ],
  [
    'n beyond safe integers',
    (k) => k.batchNorm(x12, { n: 1e300, c: 4 }),
    RangeError,
    'batchNorm: n is 1e+300, expected a whole number of magnitude at most 9007199254740991',
  ],
  [
    'a shape the memory cannot hold',
    (k) => k.sample({ n: 2 ** 30, c: 1 }),
    RangeError,
    'sample: the arguments and results need',
  ],
  [
    'a huge shape with a small x',
    (k) => k.batchNorm(x12, { n: 2 ** 30, c: 1 }),
    RangeError,
    'batchNorm: x has 12 values, expected n*c*s = 1073741824',
  ],
  [
    'groups zero',
    (k) => k.groupNorm(x12, shape, { groups: 0 }),
    RangeError,
    'groupNorm: groups is 0, expected a whole number >= 1',
  ],
  [
    'groups negative',
    (k) => k.groupNorm(x12, shape, { groups: -2 }),
    RangeError,
    'groupNorm: groups is -2, expected a whole number >= 1',
  ],
  [
    'groups fractional',
    (k) => k.groupNorm(x12, shape, { groups: 1.5 }),
    RangeError,
    'groupNorm: groups is 1.5, expected a whole number',
  ],
  [
    'groups missing',
    (k) => k.groupNorm(x12, shape),
    TypeError,
    'groupNorm: groups is undefined, expected a whole number that divides c',
  ],
  [
    'groups not dividing c',
    (k) => k.groupNorm(x12, shape, { groups: 3 }),
    RangeError,
    'groupNorm: groups is 3, expected a divisor of c = 4',
  ],
  [
    'training with n*s = 1',
    (k) => k.batchNorm([1, 2, 3, 4], { n: 1, c: 4 }),
    RangeError,
    'batchNorm: training needs more than one value per channel, got n*s = 1',
  ],
  [
    'eps negative',
    (k) => k.batchNorm(x12, shape, { eps: -1 }),
    RangeError,
    'batchNorm: eps is -1, expected a finite number >= 0',
  ],
  [
    'eps NaN',
    (k) => k.layerNorm(x12, shape, { eps: NaN }),
    RangeError,
    'layerNorm: eps is NaN, expected a finite number >= 0',
  ],
  [
    'eps a string',
    (k) => k.layerNorm(x12, shape, { eps: '1e-5' }),
    TypeError,
    'layerNorm: eps is a string ("1e-5"), expected a number',
  ],
  [
    'momentum above 1',
    (k) => k.batchNorm(x12, shape, { momentum: 1.5 }),
    RangeError,
    'batchNorm: momentum is 1.5, expected a number in [0, 1]',
  ],
  [
    'momentum negative',
    (k) => k.batchNorm(x12, shape, { momentum: -0.1 }),
    RangeError,
    'batchNorm: momentum is -0.1, expected a number in [0, 1]',
  ],
  [
    'training not a boolean',
    (k) => k.batchNorm(x12, shape, { training: 'yes' }),
    TypeError,
    'batchNorm: training is a string ("yes"), expected true or false',
  ],
  [
    'out.y of the wrong length',
    (k) => k.batchNorm(x12, shape, { out: { y: new Float32Array(3) } }),
    RangeError,
    'batchNorm: out.y has 3 values, expected n*c*s = 12',
  ],
  [
    'out.y not a Float32Array',
    (k) => k.batchNorm(x12, shape, { out: { y: [] } }),
    TypeError,
    'batchNorm: out.y is an array of 0, expected a Float32Array',
  ],
  [
    'an unknown distribution',
    (k) => k.sample({ distribution: 'cauchy', n: 2, c: 2 }),
    RangeError,
    'sample: distribution is "cauchy", expected one of normal, uniform, lognormal, bimodal, student-t',
  ],
  [
    'a distribution that is not a string',
    (k) => k.sample({ distribution: 3, n: 2, c: 2 }),
    TypeError,
    'sample: distribution is 3, expected one of normal',
  ],
  [
    'a negative std',
    (k) => k.sample({ n: 2, c: 2, std: -1 }),
    RangeError,
    'sample: std is -1, expected a finite number >= 0',
  ],
  [
    'df zero',
    (k) => k.sample({ distribution: 'student-t', n: 2, c: 2, df: 0 }),
    RangeError,
    'sample: df is 0, expected a finite number > 0',
  ],
  [
    'a negative seed',
    (k) => k.sample({ n: 2, c: 2, seed: -1 }),
    RangeError,
    'sample: seed is -1, expected a whole number >= 0',
  ],
  [
    'offset of the wrong length',
    (k) => k.sample({ n: 2, c: 3, offset: [1, 2] }),
    RangeError,
    'sample: offset has 2 values, expected c = 3',
  ],
];

describe('bad input', () => {
  for (const core of builds) {
    const baseline = core.batchNorm(x12, shape);
    for (const [what, call, type, message] of CASES) {
      it(`${core.variant}: rejects ${what}`, () => {
        assert.throws(
          () => call(core),
          (error) => {
            assert.ok(
              error instanceof type,
              `expected a ${type.name}, got ${error.name}: ${error.message}`,
            );
            assert.ok(error.message.startsWith(message), `message was: ${error.message}`);
            return true;
          },
        );
        assert.deepEqual(core.batchNorm(x12, shape), baseline, 'the core works after the error');
      });
    }
  }
});
