// Hostile arguments to every function of the core: wrong types, getters that throw, Proxies,
// huge lengths, detached and shared buffers, frozen objects, unknown and missing options. Each
// gives a TypeError or RangeError whose message starts with the function's name, or (where the
// input is legitimate) the result of the same call with plain arguments; an error thrown by the
// caller's own getter may come through as it is. After every case, every operation of the core
// still returns exactly what it returned before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadNormCore } from '../../web/src/core/index.js';
import { builds } from './support/cores.mjs';

// What the caller's own getters and traps throw.
class Hostile extends Error {}
const boom = () => {
  throw new Hostile('from the caller');
};

const x12 = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + 1) * 3 + 1);
const x300 = Float32Array.from({ length: 300 }, (_, i) => Math.cos(i) * 2 - 1);
const shape = { n: 3, c: 4 };
const OPS = ['batchNorm', 'layerNorm', 'instanceNorm', 'groupNorm', 'rmsNorm'];
const NEEDS = { groupNorm: { groups: 2 } }; // options an operation cannot do without

// A plain call of `fn` with x and extra options, and the same with any x.
const call = (k, fn, x = x12, options = {}, s = shape) => k[fn](x, s, { ...NEEDS[fn], ...options });

// An array that runs `get` when index `at` is read.
function withGetter(values, at, get) {
  const array = Array.from(values);
  Object.defineProperty(array, at, { get, enumerable: true });
  return array;
}

function detachedFloat32Array() {
  const view = new Float32Array(x12);
  structuredClone(view.buffer, { transfer: [view.buffer] });
  return view;
}

function sharedFloat32Array(values) {
  const view = new Float32Array(new SharedArrayBuffer(values.length * 4));
  view.set(values);
  return view;
}

// A big array, if this machine has the memory for one.
let big;
try {
  big = new Float32Array(2 ** 28);
} catch {
  big = null;
}

// The error expectations: [type, message prefix after "<fn>: "]; Hostile for the caller's own error.
const type = (T, text = '') => ({ error: T, text });
const RESULT = { same: true }; // the result of the plain call

// Cases for each norm operation: [what, (core, fn) => call, expectation, plain-call options].
const NORM_CASES = [
  // x of the wrong kind
  [
    'x null',
    (k, fn) => call(k, fn, null),
    type(TypeError, 'x is null, expected a Float32Array or an array of numbers'),
  ],
  ['x a number', (k, fn) => call(k, fn, 42), type(TypeError, 'x is 42')],
  ['x a string', (k, fn) => call(k, fn, '1,2,3'), type(TypeError, 'x is a string')],
  ['x a boolean', (k, fn) => call(k, fn, true), type(TypeError, 'x is a boolean')],
  ['x a symbol', (k, fn) => call(k, fn, Symbol('x')), type(TypeError, 'x is a symbol')],
  ['x a bigint', (k, fn) => call(k, fn, 12n), type(TypeError, 'x is a bigint')],
  ['x a function', (k, fn) => call(k, fn, () => x12), type(TypeError, 'x is a function')],
  ['x a plain object', (k, fn) => call(k, fn, { 0: 1 }), type(TypeError, 'x is an object')],
  [
    'x an array-like { length: 12 }',
    (k, fn) => call(k, fn, { length: 12 }),
    type(TypeError, 'x is an object'),
  ],
  [
    'x an array-like { length: 2**32 }',
    (k, fn) => call(k, fn, { length: 2 ** 32 }),
    type(TypeError, 'x is an object'),
  ],
  [
    'x a DataView',
    (k, fn) => call(k, fn, new DataView(new ArrayBuffer(48))),
    type(TypeError, 'x is a DataView'),
  ],
  [
    'x a BigInt64Array',
    (k, fn) => call(k, fn, new BigInt64Array(12)),
    type(TypeError, 'x is a BigInt64Array of 12'),
  ],
  [
    'x an empty BigInt64Array',
    (k, fn) => call(k, fn, new BigInt64Array(0)),
    type(TypeError, 'x is a BigInt64Array of 0'),
  ],
  ['x an ArrayBuffer', (k, fn) => call(k, fn, x12.buffer), type(TypeError, 'x is an object')],
  ['x a Map', (k, fn) => call(k, fn, new Map()), type(TypeError, 'x is an object')],
  [
    'x a sparse array',
    (k, fn) => call(k, fn, new Array(12)),
    type(TypeError, 'x[0] is undefined, expected a number'),
  ],
  [
    'x an array holding a Number object',
    (k, fn) => call(k, fn, [...x12.slice(0, 11), new Number(1)]),
    type(TypeError, 'x[11] is an object, expected a number'),
  ],
  // getters, Proxies, re-entry
  [
    'x an array with a throwing getter at index 2',
    (k, fn) => call(k, fn, withGetter(x12, 2, boom)),
    Hostile,
  ],
  [
    'x an array whose getter grows it by 100,000',
    (k, fn) => {
      let grown = false;
      const array = withGetter(x12, 2, () => {
        if (!grown) for (let i = 0; i < 100000; i++) array.push(i);
        grown = true;
        return x12[2];
      });
      return call(k, fn, array);
    },
    RESULT,
  ],
  [
    'x an array whose getter calls the core (growing its memory)',
    (k, fn) =>
      call(
        k,
        fn,
        withGetter(x12, 2, () => {
          k.layerNorm(new Float32Array(300000), { n: 3, c: 100000 });
          return x12[2];
        }),
      ),
    RESULT,
  ],
  [
    'x an array whose getter calls the same function with bad input',
    (k, fn) =>
      call(
        k,
        fn,
        withGetter(x12, 2, () => {
          assert.throws(() => call(k, fn, [1, 2]), RangeError);
          return x12[2];
        }),
      ),
    RESULT,
  ],
  ['x a Proxy around an array', (k, fn) => call(k, fn, new Proxy(Array.from(x12), {})), RESULT],
  [
    'x a Proxy around an array whose get throws',
    (k, fn) => call(k, fn, new Proxy(Array.from(x12), { get: boom })),
    Hostile,
  ],
  [
    'x a Proxy whose length is 2**32',
    (k, fn) =>
      call(
        k,
        fn,
        new Proxy([], {
          get: (t, key) => (key === 'length' ? 2 ** 32 : 0),
        }),
      ),
    type(RangeError, 'x has 4294967296 values, more than the 2 GiB of WebAssembly memory can hold'),
  ],
  [
    'x a Proxy whose length is -1',
    (k, fn) =>
      call(
        k,
        fn,
        new Proxy([], {
          get: (t, key) => (key === 'length' ? -1 : 0),
        }),
      ),
    type(TypeError, 'x.length is -1, expected a whole number >= 0'),
  ],
  [
    'x a revoked Proxy',
    (k, fn) => {
      const { proxy, revoke } = Proxy.revocable([], {});
      revoke();
      return call(k, fn, proxy);
    },
    type(TypeError, 'x is an object'),
  ],
  [
    'x a Proxy around a Float32Array',
    (k, fn) => call(k, fn, new Proxy(new Float32Array(x12), {})),
    type(TypeError, 'x is an object, expected a Float32Array or an array of numbers'),
  ],
  [
    'x a Float32Array with an own length of 0',
    (k, fn) => {
      const x = new Float32Array(x12);
      Object.defineProperty(x, 'length', { value: 0 });
      return call(k, fn, x);
    },
    RESULT,
  ],
  [
    'x a Float32Array of 4000 with an own length of 12',
    (k, fn) => {
      const x = new Float32Array(4000);
      Object.defineProperty(x, 'length', { value: 12 });
      return call(k, fn, x);
    },
    type(RangeError, 'x has 4000 values, expected n*c*s = 12'),
  ],
  [
    'x a Float32Array subclass lying about its length',
    (k, fn) => {
      class Liar extends Float32Array {
        get length() {
          return 2;
        }
      }
      return call(k, fn, new Liar(x12));
    },
    RESULT,
  ],
  // buffers and kinds
  [
    'x on a detached ArrayBuffer',
    (k, fn) => call(k, fn, detachedFloat32Array()),
    type(TypeError, 'x is a Float32Array whose ArrayBuffer has been detached'),
  ],
  ['x on a SharedArrayBuffer', (k, fn) => call(k, fn, sharedFloat32Array(x12)), RESULT],
  [
    'x a subarray of a larger buffer',
    (k, fn) => {
      const wide = new Float32Array(20);
      wide.set(x12, 5);
      return call(k, fn, wide.subarray(5, 17));
    },
    RESULT,
  ],
  ['x a frozen array', (k, fn) => call(k, fn, Object.freeze(Array.from(x12))), RESULT],
  ['x a Float64Array', (k, fn) => call(k, fn, Float64Array.from(x12)), RESULT],
  [
    'x too long for the memory',
    (k, fn) => (big ? call(k, fn, big, {}, { n: 1, c: 2 ** 28 }) : assert.fail('skipped')),
    type(RangeError, 'the arguments and results need'),
  ],
  // shape
  [
    'shape null',
    (k, fn) => call(k, fn, x12, {}, null),
    type(TypeError, 'shape is null, expected an object { n, c, s }'),
  ],
  ['shape a number', (k, fn) => call(k, fn, x12, {}, 12), type(TypeError, 'shape is 12')],
  [
    'shape an array',
    (k, fn) => call(k, fn, x12, {}, [3, 4]),
    type(TypeError, 'n is undefined, expected a whole number'),
  ],
  [
    'shape without c',
    (k, fn) => call(k, fn, x12, {}, { n: 3 }),
    type(TypeError, 'c is undefined, expected a whole number'),
  ],
  [
    'shape with n a string',
    (k, fn) => call(k, fn, x12, {}, { n: '3', c: 4 }),
    type(TypeError, 'n is a string ("3")'),
  ],
  [
    'shape with n Infinity',
    (k, fn) => call(k, fn, x12, {}, { n: Infinity, c: 4 }),
    type(RangeError, 'n is Infinity, expected a whole number'),
  ],
  [
    'shape with n 2**53',
    (k, fn) => call(k, fn, x12, {}, { n: 2 ** 53, c: 4 }),
    type(RangeError, 'n is 9007199254740992'),
  ],
  [
    'shape with n -0',
    (k, fn) => call(k, fn, x12, {}, { n: -0, c: 4 }),
    type(RangeError, 'n is 0, expected a whole number >= 1'),
  ],
  [
    'shape 2**16 x 2**16',
    (k, fn) => call(k, fn, x12, {}, { n: 2 ** 16, c: 2 ** 16 }),
    type(RangeError, 'n*c*s = 4294967296 elements'),
  ],
  [
    'shape 2**28 x 4 with 12 values',
    (k, fn) => call(k, fn, x12, {}, { n: 2 ** 28, c: 4 }),
    type(RangeError, 'x has 12 values, expected n*c*s = 1073741824'),
  ],
  [
    'shape with a throwing getter',
    (k, fn) =>
      call(
        k,
        fn,
        x12,
        {},
        {
          n: 3,
          get c() {
            return boom();
          },
        },
      ),
    Hostile,
  ],
  ['shape a Proxy', (k, fn) => call(k, fn, x12, {}, new Proxy({ n: 3, c: 4 }, {})), RESULT],
  [
    'shape frozen, with unknown keys',
    (k, fn) => call(k, fn, x12, {}, Object.freeze({ n: 3, c: 4, s: 1, h: 9 })),
    RESULT,
  ],
  // options
  [
    'options null',
    (k, fn) => k[fn](x12, shape, null),
    type(TypeError, 'options is null, expected an object'),
  ],
  [
    'options a string',
    (k, fn) => k[fn](x12, shape, 'eps=1'),
    type(TypeError, 'options is a string'),
  ],
  [
    'options an array',
    (k, fn) => k[fn](x12, shape, []),
    type(TypeError, 'options is an array of 0'),
  ],
  ['options a Proxy', (k, fn) => k[fn](x12, shape, new Proxy({ ...NEEDS[fn] }, {})), RESULT],
  [
    'options a Proxy whose get throws',
    (k, fn) => k[fn](x12, shape, new Proxy({}, { get: boom })),
    Hostile,
  ],
  ['options frozen', (k, fn) => k[fn](x12, shape, Object.freeze({ ...NEEDS[fn] })), RESULT],
  [
    'options without a prototype',
    (k, fn) => k[fn](x12, shape, Object.assign(Object.create(null), NEEDS[fn])),
    RESULT,
  ],
  [
    'options with unknown keys',
    (k, fn) => call(k, fn, x12, { epsilon: 5, gama: [1], momentum2: 3, foo: {} }),
    RESULT,
  ],
  [
    'eps a string',
    (k, fn) => call(k, fn, x12, { eps: '1e-5' }),
    type(TypeError, 'eps is a string ("1e-5")'),
  ],
  [
    'eps a Number object',
    (k, fn) => call(k, fn, x12, { eps: new Number(1e-5) }),
    type(TypeError, 'eps is an object'),
  ],
  [
    'eps -Infinity',
    (k, fn) => call(k, fn, x12, { eps: -Infinity }),
    type(RangeError, 'eps is -Infinity, expected a finite number >= 0'),
  ],
  [
    'eps the negative subnormal',
    (k, fn) => call(k, fn, x12, { eps: -5e-324 }),
    type(RangeError, 'eps is -4.94065646e-324, expected a finite number >= 0'),
  ],
  [
    'eps a throwing getter',
    (k, fn) =>
      call(k, fn, x12, {
        get eps() {
          return boom();
        },
      }),
    Hostile,
  ],
  [
    'gamma an object',
    (k, fn) => call(k, fn, x12, { gamma: { 0: 1 } }),
    type(TypeError, 'gamma is an object'),
  ],
  [
    'gamma with a throwing getter',
    (k, fn) => call(k, fn, x12, { gamma: withGetter([1, 1, 1, 1], 1, boom) }),
    Hostile,
  ],
  [
    'gamma a Proxy whose length is 2**32',
    (k, fn) =>
      call(k, fn, x12, {
        gamma: new Proxy([], {
          get: (t, key) => (key === 'length' ? 2 ** 32 : 1),
        }),
      }),
    type(RangeError, 'gamma has 4294967296 values'),
  ],
  [
    'gamma of the wrong length',
    (k, fn) => call(k, fn, x12, { gamma: [1, 2, 3] }),
    type(RangeError, 'gamma has 3 values'),
  ],
  [
    'out null',
    (k, fn) => call(k, fn, x12, { out: null }),
    type(TypeError, 'out is null, expected an object'),
  ],
  [
    'out.y an array',
    (k, fn) => call(k, fn, x12, { out: { y: new Array(12).fill(0) } }),
    type(TypeError, 'out.y is an array of 12, expected a Float32Array'),
  ],
  [
    'out.y a Float64Array',
    (k, fn) => call(k, fn, x12, { out: { y: new Float64Array(12) } }),
    type(TypeError, 'out.y is a Float64Array of 12'),
  ],
  [
    'out.y a Proxy around a Float32Array',
    (k, fn) => call(k, fn, x12, { out: { y: new Proxy(new Float32Array(12), {}) } }),
    type(TypeError, 'out.y is an object, expected a Float32Array'),
  ],
  [
    'out.y on a detached ArrayBuffer',
    (k, fn) => call(k, fn, x12, { out: { y: detachedFloat32Array() } }),
    type(TypeError, 'out.y is a Float32Array whose ArrayBuffer has been detached'),
  ],
  [
    'out.y a Float32Array of 3 with an own length of 12',
    (k, fn) => {
      const y = new Float32Array(3);
      Object.defineProperty(y, 'length', { value: 12 });
      return call(k, fn, x12, { out: { y } });
    },
    type(RangeError, 'out.y has 3 values, expected n*c*s = 12'),
  ],
  [
    'out.y with an own set method that calls the core',
    (k, fn) => {
      const y = new Float32Array(12);
      Object.defineProperty(y, 'set', {
        value: () => k.layerNorm(new Float32Array(300000), { n: 3, c: 100000 }),
      });
      const r = call(k, fn, x12, { out: { y } });
      assert.equal(r.y, y);
      return r;
    },
    RESULT,
  ],
  [
    'out.y a getter giving a different array each time',
    (k, fn) => {
      let reads = 0;
      const r = call(k, fn, x12, {
        out: {
          get y() {
            reads++;
            return new Float32Array(12);
          },
        },
      });
      assert.equal(reads, 1, 'out.y is read once');
      return r;
    },
    RESULT,
  ],
  [
    'out.y on a SharedArrayBuffer',
    (k, fn) => {
      const y = sharedFloat32Array(new Float32Array(12));
      const r = call(k, fn, x12, { out: { y } });
      assert.equal(r.y, y);
      return r;
    },
    RESULT,
  ],
  [
    'out with unknown keys',
    (k, fn) => call(k, fn, x12, { out: Object.freeze({ z: 1, Y: new Float32Array(1) }) }),
    RESULT,
  ],
  // the function itself
  [
    'the method called without its object',
    (k, fn) => {
      const method = k[fn];
      return method(x12, shape, NEEDS[fn]);
    },
    RESULT,
  ],
  ['no arguments at all', (k, fn) => k[fn](), type(TypeError, 'shape is undefined')],
];

const SPECIFIC_CASES = [
  [
    'batchNorm',
    'training a string',
    (k) => k.batchNorm(x12, shape, { training: 'false' }),
    type(TypeError, 'training is a string ("false")'),
  ],
  [
    'batchNorm',
    'training 0',
    (k) => k.batchNorm(x12, shape, { training: 0 }),
    type(TypeError, 'training is 0, expected true or false'),
  ],
  [
    'batchNorm',
    'momentum NaN',
    (k) => k.batchNorm(x12, shape, { momentum: NaN }),
    type(RangeError, 'momentum is NaN'),
  ],
  [
    'batchNorm',
    'runningVar a Proxy around an array',
    (k) =>
      k.batchNorm(x12, shape, {
        runningVar: new Proxy([1, 2, 3, 4], {}),
        training: false,
      }),
    { same: { runningVar: [1, 2, 3, 4], training: false } },
  ],
  [
    'batchNorm',
    'runningMean updated in place through out',
    (k) => {
      const runningMean = new Float32Array([1, 2, 3, 4]);
      const r = k.batchNorm(x12, shape, { runningMean, out: { runningMean } });
      assert.equal(r.runningMean, runningMean);
      return r;
    },
    { same: { runningMean: [1, 2, 3, 4] } },
  ],
  [
    'layerNorm',
    'a long out.y with an own set method that calls the core',
    (k) => {
      const y = new Float32Array(300);
      Object.defineProperty(y, 'set', {
        value: () => k.layerNorm(new Float32Array(300000), { n: 3, c: 100000 }),
      });
      const r = k.layerNorm(x300, { n: 3, c: 100 }, { out: { y } });
      assert.equal(r.y, y);
      return r;
    },
    { same: { x: 'x300', shape: { n: 3, c: 100 } } },
  ],
  [
    'groupNorm',
    'groups missing',
    (k) => k.groupNorm(x12, shape, {}),
    type(TypeError, 'groups is undefined'),
  ],
  [
    'groupNorm',
    'groups a string',
    (k) => k.groupNorm(x12, shape, { groups: '2' }),
    type(TypeError, 'groups is a string ("2")'),
  ],
  [
    'groupNorm',
    'groups 2**53',
    (k) => k.groupNorm(x12, shape, { groups: 2 ** 53 }),
    type(RangeError, 'groups is 9007199254740992'),
  ],
  [
    'groupNorm',
    'groups 2**40',
    (k) => k.groupNorm(x12, shape, { groups: 2 ** 40 }),
    type(RangeError, 'groups is 1099511627776, expected a divisor of c = 4'),
  ],
  [
    'sample',
    'options null',
    (k) => k.sample(null),
    type(TypeError, 'options is null, expected an object'),
  ],
  [
    'sample',
    'no options',
    (k) => k.sample(),
    type(TypeError, 'n is undefined, expected a whole number'),
  ],
  [
    'sample',
    'distribution a symbol',
    (k) => k.sample({ n: 2, c: 2, distribution: Symbol('normal') }),
    type(TypeError, 'distribution is a symbol'),
  ],
  [
    'sample',
    'distribution in capitals',
    (k) => k.sample({ n: 2, c: 2, distribution: 'NORMAL' }),
    type(RangeError, 'distribution is "NORMAL"'),
  ],
  [
    'sample',
    'distribution with a NUL',
    (k) => k.sample({ n: 2, c: 2, distribution: 'normal\0x' }),
    type(RangeError, 'distribution is "normal'),
  ],
  [
    'sample',
    'seed 1.5',
    (k) => k.sample({ n: 2, c: 2, seed: 1.5 }),
    type(RangeError, 'seed is 1.5'),
  ],
  [
    'sample',
    'seed 2**53',
    (k) => k.sample({ n: 2, c: 2, seed: 2 ** 53 }),
    type(RangeError, 'seed is 9007199254740992'),
  ],
  [
    'sample',
    'seed a bigint',
    (k) => k.sample({ n: 2, c: 2, seed: 1n }),
    type(TypeError, 'seed is a bigint'),
  ],
  [
    'sample',
    'std Infinity',
    (k) => k.sample({ n: 2, c: 2, std: Infinity }),
    type(RangeError, 'std is Infinity'),
  ],
  [
    'sample',
    'offset a string',
    (k) => k.sample({ n: 2, c: 2, offset: '1' }),
    type(TypeError, 'offset is a string'),
  ],
  [
    'sample',
    'offset a number for 2**32 - 1 channels',
    (k) => k.sample({ n: 1, c: 2 ** 32 - 1, offset: 1 }),
    type(RangeError, 'the arguments and results need'),
  ],
  [
    'sample',
    'offset a number with n = 0',
    (k) => k.sample({ n: 0, c: 2, offset: 1 }),
    type(RangeError, 'n is 0'),
  ],
  [
    'sample',
    'scale with a throwing getter',
    (k) => k.sample({ n: 2, c: 2, scale: withGetter([1, 1], 0, boom) }),
    Hostile,
  ],
  [
    'sample',
    'options a Proxy',
    (k) => k.sample(new Proxy({ n: 4, c: 3, seed: 5 }, {})),
    { same: { n: 4, c: 3, seed: 5 } },
  ],
  [
    'sample',
    'options frozen with unknown keys',
    (k) => k.sample(Object.freeze({ n: 4, c: 3, seed: 5, mode: 'fast' })),
    { same: { n: 4, c: 3, seed: 5 } },
  ],
  [
    'sample',
    'options with a throwing getter',
    (k) =>
      k.sample({
        n: 4,
        get c() {
          return boom();
        },
      }),
    Hostile,
  ],
  [
    'sample',
    'out.values a Proxy',
    (k) => k.sample({ n: 2, c: 2, out: { values: new Proxy(new Float32Array(4), {}) } }),
    type(TypeError, 'out.values is an object, expected a Float32Array'),
  ],
  [
    'sample',
    'values the memory cannot hold',
    (k) => k.sample({ n: 2 ** 29, c: 1 }),
    type(RangeError, 'the arguments and results need'),
  ],
];

// Every operation's result for fixed arguments: what must not change after any case.
function fingerprint(k) {
  const x = k.sample({ n: 6, c: 4, s: 3, seed: 11, distribution: 'bimodal' });
  const s = { n: 6, c: 4, s: 3 };
  return {
    batchNorm: k.batchNorm(x, s, { gamma: [1, 2, 3, 4], momentum: 0.2 }),
    inference: k.batchNorm(x, s, {
      training: false,
      runningMean: [0, 1, 2, 3],
      runningVar: [1, 2, 3, 4],
    }),
    layerNorm: k.layerNorm(x, s),
    instanceNorm: k.instanceNorm(x, s, { eps: 1e-3 }),
    groupNorm: k.groupNorm(x, s, { groups: 2 }),
    rmsNorm: k.rmsNorm(x, s),
    sample: k.sample({ n: 5, c: 3, seed: 3, distribution: 'student-t', offset: [1, 2, 3] }),
  };
}

function check(outcome, expectation, fn, plain) {
  const { result, error } = outcome;
  if (expectation === Hostile) {
    assert.ok(
      error instanceof Hostile,
      `expected the caller's own error, got ${error ?? 'a result'}`,
    );
  } else if (expectation.error) {
    assert.ok(error, 'expected an error, got a result');
    assert.ok(
      error instanceof expectation.error,
      `expected a ${expectation.error.name}, got ${error.name}: ${error.message}`,
    );
    assert.equal(error.constructor, expectation.error, `${error.name}: ${error.message}`);
    assert.ok(
      error.message.startsWith(`${fn}: ${expectation.text}`),
      `message was: ${error.message}`,
    );
  } else {
    if (error) throw error;
    assert.deepEqual(result, plain(), 'the same as with plain arguments');
  }
}

function attempt(run) {
  try {
    return { result: run() };
  } catch (error) {
    return { error };
  }
}

describe('hostile arguments', () => {
  for (const core of builds) {
    const before = fingerprint(core);
    const memory = () => ({ bytes: core.memoryBytes, inUse: core.heapInUse });
    const still = () =>
      assert.deepEqual(fingerprint(core), before, 'every operation returns what it did before');

    for (const fn of OPS) {
      for (const [what, run, expectation] of NORM_CASES) {
        it(`${core.variant}: ${fn} with ${what}`, (t) => {
          if (what === 'x too long for the memory' && !big)
            return t.skip('no memory for a 1 GiB array');
          check(
            attempt(() => run(core, fn)),
            expectation,
            fn,
            () => call(core, fn),
          );
          still();
        });
      }
    }
    for (const [fn, what, run, expectation] of SPECIFIC_CASES) {
      it(`${core.variant}: ${fn} with ${what}`, () => {
        const same = expectation.same;
        const plain =
          fn === 'sample'
            ? () => core.sample(same)
            : same?.x === 'x300'
              ? () => core[fn](x300, same.shape)
              : () => core[fn](x12, shape, same);
        check(
          attempt(() => run(core)),
          expectation,
          fn,
          plain,
        );
        still();
      });
    }
    it(`${core.variant}: its memory stays put through a second round of every case`, () => {
      still(); // the same last calls before each measurement
      const first = memory();
      for (const fn of OPS) for (const [, run] of NORM_CASES) attempt(() => run(core, fn));
      for (const [, , run] of SPECIFIC_CASES) attempt(() => run(core));
      still();
      assert.deepEqual(memory(), first);
    });
  }
});

describe('hostile options to loadNormCore', () => {
  const CASES = [
    [
      'null',
      () => loadNormCore(null),
      type(TypeError, 'options is null, expected an object { variant }'),
    ],
    ['a string', () => loadNormCore('simd'), type(TypeError, 'options is a string ("simd")')],
    ['a number', () => loadNormCore(1), type(TypeError, 'options is 1')],
    [
      'variant in capitals',
      () => loadNormCore({ variant: 'SIMD' }),
      type(RangeError, 'variant is "SIMD", expected "auto", "simd" or "scalar"'),
    ],
    ['variant a number', () => loadNormCore({ variant: 1 }), type(TypeError, 'variant is 1')],
    [
      'variant an object with toString',
      () => loadNormCore({ variant: { toString: () => 'simd' } }),
      type(TypeError, 'variant is an object'),
    ],
    [
      'a throwing getter',
      () =>
        loadNormCore({
          get variant() {
            return boom();
          },
        }),
      Hostile,
    ],
    ['a Proxy whose get throws', () => loadNormCore(new Proxy({}, { get: boom })), Hostile],
  ];
  for (const [what, run, expectation] of CASES) {
    it(`rejects ${what} (a rejected promise, never a throw)`, async () => {
      const promise = attempt(run);
      assert.ok(promise.result instanceof Promise, `threw ${promise.error}`);
      check(
        await promise.result.then(
          (result) => ({ result }),
          (error) => ({ error }),
        ),
        expectation,
        'loadNormCore',
      );
    });
  }
  it('accepts frozen options, unknown keys and a Proxy, and gives the same core each time', async () => {
    const simd = await loadNormCore({ variant: 'simd' });
    assert.equal(await loadNormCore(Object.freeze({ variant: 'simd', wasm: 'elsewhere' })), simd);
    assert.equal(await loadNormCore(new Proxy({ variant: 'simd' }, {})), simd);
    assert.equal(await loadNormCore({ variant: 'auto' }), await loadNormCore());
    const scalar = await loadNormCore({ variant: 'scalar' });
    assert.deepEqual(scalar.layerNorm(x12, shape), simd.layerNorm(x12, shape));
  });
});
