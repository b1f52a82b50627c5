// How the loader describes a value it refuses (web/src/core/arguments.js) at the edges the other
// suites do not reach: long strings, views that are not arrays of numbers, null for an optional
// array, a fraction for a whole number.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { simd as core } from './support/cores.mjs';

const shape = { n: 1, c: 3 };
const x = new Float32Array([1, 2, 4]);

it('shows a string of up to 20 characters whole, and a longer one cut at 20', () => {
  assert.throws(() => core.layerNorm('abcdefghijklmnopqrst', shape), {
    message:
      'layerNorm: x is a string ("abcdefghijklmnopqrst"), expected a Float32Array or an array of numbers',
  });
  assert.throws(() => core.layerNorm('abcdefghijklmnopqrstu', shape), {
    message:
      'layerNorm: x is a string ("abcdefghijklmnopqrst…"), expected a Float32Array or an array of numbers',
  });
});

it('names a BigInt array and a DataView for what they are, not by their elements', () => {
  assert.throws(() => core.layerNorm(new BigInt64Array(3), shape), {
    name: 'TypeError',
    message: 'layerNorm: x is a BigInt64Array of 3, expected a Float32Array or an array of numbers',
  });
  assert.throws(() => core.layerNorm(new DataView(new ArrayBuffer(12)), shape), {
    name: 'TypeError',
    message: 'layerNorm: x is a DataView, expected a Float32Array or an array of numbers',
  });
});

it('takes null for an optional array as omitted', () => {
  assert.deepEqual(core.layerNorm(x, shape, { gamma: null, beta: null }), core.layerNorm(x, shape));
});

it('calls a fraction not a whole number, before its size matters', () => {
  assert.throws(() => core.layerNorm(x, { n: 1.5, c: 2 }), {
    name: 'RangeError',
    message: 'layerNorm: n is 1.5, expected a whole number',
  });
});
