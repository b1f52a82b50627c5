// Handles where the loader names values: a handle given where none is taken is described as a core
// array (live or freed) rather than "an object", and alloc's bounds and descriptions at their edges.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { simd as core } from './support/cores.mjs';

it('names a handle given where only arrays of values are taken, live or freed', () => {
  const net = core.createNetwork({ hidden: [4], classes: 2 });
  const handle = core.alloc(6);
  assert.throws(() => net.predict(handle), {
    name: 'TypeError',
    message:
      'network.predict: x is a core array of 6, expected a Float32Array or an array of numbers',
  });
  handle.free();
  assert.throws(() => net.predict(handle), {
    name: 'TypeError',
    message:
      'network.predict: x is a freed core array, expected a Float32Array or an array of numbers',
  });
  net.free();
});

it('allocates the smallest handle, one value', () => {
  const one = core.alloc(1);
  assert.equal(one.length, 1);
  assert.equal(one.array.length, 1);
  one.free();
});

it('shows at most 20 characters of a string length', () => {
  assert.throws(() => core.alloc('twenty-five characters..'), {
    name: 'TypeError',
    message: 'alloc: length is a string ("twenty-five characte"), expected a whole number >= 1',
  });
});

it('defines Symbol.dispose on handles as a method is defined: writable, configurable, hidden', () => {
  const handle = core.alloc(2);
  const descriptor = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(handle), Symbol.dispose);
  assert.deepEqual(
    {
      writable: descriptor.writable,
      enumerable: descriptor.enumerable,
      configurable: descriptor.configurable,
    },
    { writable: true, enumerable: false, configurable: true },
  );
  handle[Symbol.dispose]();
  assert.equal(handle.freed, true);
});
