// Arrays in the core's memory (core.alloc handles): the same results as typed arrays, bit for bit,
// with nothing copied; and hostile use: freed, used after free, views detached by memory growth,
// another core's handle, wrong lengths, one handle in two roles, forged and proxied handles.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { builds, scalar, simd } from './support/cores.mjs';

const shape = { n: 6, c: 4, s: 3 };
const total = 6 * 4 * 3;
const x = Float32Array.from({ length: total }, (_, i) => Math.sin(i * 0.7) * 2 + 5);
const gammaC = Float32Array.from({ length: 4 }, (_, i) => 0.5 + i);
const betaC = Float32Array.from({ length: 4 }, (_, i) => i - 1.5);
const gammaL = Float32Array.from({ length: 12 }, (_, i) => 1 + i / 10);
const betaL = Float32Array.from({ length: 12 }, (_, i) => -i / 10);

// A handle holding a copy of `values`.
function handleOf(core, values) {
  const h = core.alloc(values.length);
  h.array.set(values);
  return h;
}

// An out object holding `given`, with a getter for `name` that frees the handles `freed` (as
// a caller's getter may) and gives `value`.
function outThatFrees(given, name, value, freed) {
  return Object.defineProperty({ ...given }, name, {
    get() {
      freed.forEach((h) => h.free());
      return value;
    },
    enumerable: true,
  });
}

const bits = (a) => Array.from(new Uint32Array(Float32Array.from(a).buffer));

// Each operation: its typed-array arguments, and the lengths of its outputs.
const CASES = [
  {
    fn: 'batchNorm',
    options: {
      gamma: gammaC,
      beta: betaC,
      runningMean: new Float32Array(4).fill(0.25),
      runningVar: new Float32Array(4).fill(2),
    },
    outputs: { y: total, mean: 4, var: 4, runningMean: 4, runningVar: 4 },
  },
  {
    fn: 'layerNorm',
    options: { gamma: gammaL, beta: betaL },
    outputs: { y: total, mean: 6, var: 6 },
  },
  {
    fn: 'instanceNorm',
    options: { gamma: gammaC, beta: betaC, eps: 1e-3 },
    outputs: { y: total, mean: 24, var: 24 },
  },
  {
    fn: 'groupNorm',
    options: { groups: 2, gamma: gammaC, beta: betaC },
    outputs: { y: total, mean: 12, var: 12 },
  },
  { fn: 'rmsNorm', options: { gamma: gammaL }, outputs: { y: total, rms: 6 } },
];

// The same options with every array in a handle, and handles for every output.
function withHandles(core, options, outputs) {
  const handles = [];
  const keep = (h) => (handles.push(h), h);
  const inOptions = {};
  for (const [key, value] of Object.entries(options))
    inOptions[key] = value instanceof Float32Array ? keep(handleOf(core, value)) : value;
  const out = {};
  for (const [key, length] of Object.entries(outputs)) out[key] = keep(core.alloc(length));
  return { options: { ...inOptions, out }, handles };
}

const freeAll = (handles) => handles.forEach((h) => h.free());

for (const core of builds) {
  describe(`core.alloc handles (${core.variant})`, () => {
    for (const { fn, options, outputs } of CASES) {
      it(`${fn}: handles everywhere give the typed-array results bit for bit and are returned as given`, () => {
        const expected = core[fn](x, shape, options);
        // One cycle: handles made, used, checked and freed.
        const cycle = () => {
          const hx = handleOf(core, x);
          const { options: hOptions, handles } = withHandles(core, options, outputs);
          const result = core[fn](hx, shape, hOptions);
          for (const key of Object.keys(outputs)) {
            assert.equal(result[key], hOptions.out[key], `${fn}: out.${key} is returned as given`);
            assert.deepEqual(bits(result[key].array), bits(expected[key]), `${fn}: ${key}`);
          }
          hx.free();
          freeAll(handles);
        };
        cycle();
        // The allocator's count may settle after the first cycle (block splitting); from then on
        // a cycle must leave it where it was.
        const before = core.heapInUse;
        cycle();
        cycle();
        assert.equal(core.heapInUse, before, `${fn}: freeing every handle returns its memory`);
      });

      it(`${fn}: handles mixed with typed arrays and new results give the same values`, () => {
        const expected = core[fn](x, shape, options);
        const hx = handleOf(core, x);
        const firstOut = Object.keys(outputs)[0];
        const out = { [firstOut]: core.alloc(outputs[firstOut]) };
        const result = core[fn](hx, shape, { ...options, out });
        assert.deepEqual(bits(result[firstOut].array), bits(expected[firstOut]));
        for (const key of Object.keys(outputs).slice(1)) {
          assert.ok(result[key] instanceof Float32Array, `${fn}: ${key} is a new Float32Array`);
          assert.deepEqual(bits(result[key]), bits(expected[key]));
        }
        hx.free();
        out[firstOut].free();
      });

      // Input handles with typed-array outputs: each output is told apart from a handle by its
      // own argument, not by an input's (a bit read for the wrong argument returned the unfilled
      // out array, or nothing for a new one).
      it(`${fn}: parameters as handles with a typed x give the same new and out results`, () => {
        const expected = core[fn](x, shape, options);
        const handles = [];
        const hOptions = {};
        for (const [key, value] of Object.entries(options)) {
          if (!(value instanceof Float32Array)) hOptions[key] = value;
          else handles.push((hOptions[key] = handleOf(core, value)));
        }
        const fresh = core[fn](x, shape, hOptions);
        const out = {};
        for (const [key, length] of Object.entries(outputs)) out[key] = new Float32Array(length);
        const filled = core[fn](x, shape, { ...hOptions, out });
        for (const key of Object.keys(outputs)) {
          assert.ok(fresh[key] instanceof Float32Array, `${fn}: ${key} is a new Float32Array`);
          assert.deepEqual(bits(fresh[key]), bits(expected[key]), `${fn}: new ${key}`);
          assert.equal(filled[key], out[key], `${fn}: out.${key} is returned as given`);
          assert.deepEqual(bits(out[key]), bits(expected[key]), `${fn}: out.${key}`);
        }
        freeAll(handles);
      });
    }

    it('sample fills a handle given as out.values, with offset and scale as handles', () => {
      const offset = new Float32Array([1, -2, 3, 0.5]);
      const args = { n: 5, c: 4, s: 2, seed: 9, distribution: 'uniform' };
      const expected = core.sample({ ...args, offset, scale: 2 });
      const values = core.alloc(40);
      const hOffset = handleOf(core, offset);
      const hScale = handleOf(core, new Float32Array(4).fill(2));
      const result = core.sample({ ...args, offset: hOffset, scale: hScale, out: { values } });
      assert.equal(result, values);
      assert.deepEqual(bits(values.array), bits(expected));
      [values, hOffset, hScale].forEach((h) => h.free());
    });

    it('updates batch norm running statistics in place when the same handle is input and output', () => {
      const runningMean = new Float32Array(4).fill(0.25);
      const runningVar = new Float32Array(4).fill(2);
      const expected = core.batchNorm(x, shape, { runningMean, runningVar, momentum: 0.3 });
      const rm = handleOf(core, runningMean);
      const rv = handleOf(core, runningVar);
      core.batchNorm(x, shape, {
        runningMean: rm,
        runningVar: rv,
        momentum: 0.3,
        out: { runningMean: rm, runningVar: rv },
      });
      assert.deepEqual(bits(rm.array), bits(expected.runningMean));
      assert.deepEqual(bits(rv.array), bits(expected.runningVar));
      rm.free();
      rv.free();
    });

    it('gives a handle a length, a live view of that length, and counts it until it is freed', () => {
      const live = core.liveHandles;
      const h = core.alloc(7);
      assert.equal(h.length, 7);
      assert.equal(h.array.length, 7);
      assert.equal(h.array, h.array, 'the view is kept while the memory does not grow');
      assert.equal(h.freed, false);
      assert.equal(String(h), '[object CoreArray]');
      assert.equal(core.liveHandles, live + 1);
      h.free();
      assert.equal(h.freed, true);
      assert.equal(core.liveHandles, live);
      h.free(); // a second free does nothing
      assert.equal(core.liveHandles, live);
    });

    it('frees a handle on Symbol.dispose (a `using` declaration)', () => {
      const live = core.liveHandles;
      const h = core.alloc(3);
      h[Symbol.dispose]();
      assert.equal(h.freed, true);
      assert.equal(core.liveHandles, live);
    });

    it('refuses a freed handle everywhere an array goes, naming the function and argument', () => {
      const h = handleOf(core, x);
      h.free();
      assert.throws(() => h.array, {
        name: 'TypeError',
        message: 'coreArray.array: the handle has been freed, expected a live one',
      });
      assert.throws(() => core.layerNorm(h, shape), {
        name: 'TypeError',
        message: 'layerNorm: x is a freed core array, expected a live one',
      });
      const g = core.alloc(4);
      g.free();
      assert.throws(() => core.batchNorm(x, shape, { runningVar: g }), {
        name: 'TypeError',
        message: 'batchNorm: runningVar is a freed core array, expected a live one',
      });
      assert.throws(() => core.groupNorm(x, shape, { groups: 2, out: { mean: g } }), {
        name: 'TypeError',
        message: 'groupNorm: out.mean is a freed core array, expected a live one',
      });
      assert.throws(() => core.sample({ n: 2, c: 4, offset: g }), {
        name: 'TypeError',
        message: 'sample: offset is a freed core array, expected a live one',
      });
    });

    it('refuses a handle that a getter on out frees while the arguments are read', () => {
      const hx = handleOf(core, x);
      const y = core.alloc(total);
      const out = {
        get y() {
          hx.free();
          return y;
        },
      };
      assert.throws(() => core.layerNorm(hx, shape, { out }), {
        name: 'TypeError',
        message: 'layerNorm: x is a freed core array, expected a live one',
      });
      const mean = core.alloc(6);
      const out2 = {
        y,
        get mean() {
          y.free();
          return mean;
        },
      };
      assert.throws(() => core.layerNorm(x, shape, { out: out2 }), {
        name: 'TypeError',
        message: 'layerNorm: out.y is a freed core array, expected a live one',
      });
      mean.free();
    });

    it('names the first freed handle in slot order, and a shared handle before a freed one', () => {
      const hx = handleOf(core, x);
      const g = handleOf(core, gammaL);
      const b = handleOf(core, betaL);
      const y = core.alloc(total);
      const mean = core.alloc(6);
      // out.mean's getter frees out.y, beta and gamma, all read before it: gamma comes first.
      const freesThree = outThatFrees({ y }, 'mean', mean, [y, b, g]);
      assert.throws(() => core.layerNorm(hx, shape, { gamma: g, beta: b, out: freesThree }), {
        name: 'TypeError',
        message: 'layerNorm: gamma is a freed core array, expected a live one',
      });
      // out.var's getter frees out.mean, the second output.
      const y2 = core.alloc(total);
      const mean2 = core.alloc(6);
      const freesMean = outThatFrees({ y: y2, mean: mean2 }, 'var', undefined, [mean2]);
      assert.throws(() => core.layerNorm(hx, shape, { out: freesMean }), {
        name: 'TypeError',
        message: 'layerNorm: out.mean is a freed core array, expected a live one',
      });
      // x given again as out.y, and gamma freed by out.mean's getter: the sharing is named.
      const g2 = handleOf(core, gammaL);
      const sharesAndFrees = outThatFrees({ y: hx }, 'mean', mean, [g2]);
      assert.throws(() => core.layerNorm(hx, shape, { gamma: g2, out: sharesAndFrees }), {
        name: 'TypeError',
        message: 'layerNorm: out.y is the core array also given as x, expected a separate one',
      });
      [hx, mean, y2].forEach((h) => h.free());
    });

    it('refuses a shared handle when a getter calls the core with it in between', () => {
      const hx = handleOf(core, x);
      const y = core.alloc(total);
      const mean = core.alloc(6);
      // out.y's getter runs a call of its own (which numbers its own handles), then gives x's
      // handle as out.y.
      const out = {
        get y() {
          core.layerNorm(x, shape, { out: { y } });
          return hx;
        },
      };
      assert.throws(() => core.layerNorm(hx, shape, { out }), {
        name: 'TypeError',
        message: 'layerNorm: out.y is the core array also given as x, expected a separate one',
      });
      // The same call with separate handles gives what typed arrays give.
      const reentered = {
        get y() {
          core.layerNorm(hx, shape, { out: { y } });
          return y;
        },
        mean,
      };
      const r = core.layerNorm(hx, shape, { out: reentered });
      assert.equal(r.y, y);
      assert.deepEqual(bits(y.array), bits(core.layerNorm(x, shape).y));
      assert.deepEqual(bits(mean.array), bits(core.layerNorm(x, shape).mean));
      [hx, y, mean].forEach((h) => h.free());
    });

    it('leaves an omitted array out of the call, whatever the call before it gave', () => {
      const ones = new Float32Array(12).fill(1);
      const zeros = new Float32Array(12);
      // Between the plain calls, gamma and beta given as typed arrays and as handles.
      const plain = core.layerNorm(x, shape).y;
      const g = handleOf(core, gammaL);
      const b = handleOf(core, betaL);
      core.layerNorm(x, shape, { gamma: g, beta: b });
      assert.deepEqual(bits(core.layerNorm(x, shape).y), bits(plain));
      core.layerNorm(x, shape, { gamma: gammaL, beta: betaL });
      const again = core.layerNorm(x, shape).y;
      assert.deepEqual(bits(again), bits(plain));
      const unit = core.layerNorm(x, shape, { gamma: ones, beta: zeros }).y;
      for (let i = 0; i < total; i++) assert.ok(Math.abs(again[i] - unit[i]) <= 1e-6);
      // An omitted running mean starts from zeros, not from the handle the call before gave,
      // and that handle keeps its values.
      const rm = handleOf(core, new Float32Array(4).fill(7));
      const fromZeros = core.batchNorm(x, shape).runningMean;
      core.batchNorm(x, shape, { runningMean: rm });
      const after = Array.from(rm.array);
      assert.deepEqual(bits(core.batchNorm(x, shape).runningMean), bits(fromZeros));
      assert.deepEqual(Array.from(rm.array), after);
      [g, b, rm].forEach((h) => h.free());
    });

    it('does not let a freed handle reach memory that a new handle now owns', () => {
      const old = handleOf(core, new Float32Array(total).fill(1));
      old.free();
      const fresh = handleOf(core, x); // may well reuse the block
      assert.throws(() => core.rmsNorm(old, shape), /rmsNorm: x is a freed core array/);
      const y = core.alloc(total);
      core.rmsNorm(fresh, shape, { out: { y } });
      assert.deepEqual(bits(y.array), bits(core.rmsNorm(x, shape).y));
      fresh.free();
      y.free();
    });

    it('remakes the view after memory growth, and refuses the old detached view', () => {
      const h = handleOf(core, x);
      const stale = h.array;
      const bytes = core.memoryBytes;
      // A handle larger than the memory left makes the module grow its memory.
      const big = core.alloc(bytes / 4 + 1024);
      assert.ok(core.memoryBytes > bytes, 'the memory grew');
      assert.equal(stale.length, 0, 'the old view is detached');
      assert.notEqual(h.array, stale);
      assert.deepEqual(bits(h.array), bits(x), 'the values stayed');
      assert.throws(() => core.layerNorm(stale, shape), {
        name: 'TypeError',
        message: /^layerNorm: x is a Float32Array whose ArrayBuffer has been detached/,
      });
      assert.throws(() => core.layerNorm(x, shape, { out: { y: stale } }), {
        name: 'TypeError',
        message: /^layerNorm: out\.y is a Float32Array whose ArrayBuffer has been detached/,
      });
      const y = core.alloc(total);
      core.layerNorm(h, shape, { out: { y } });
      assert.deepEqual(bits(y.array), bits(core.layerNorm(x, shape).y));
      [h, big, y].forEach((k) => k.free());
    });

    it("refuses another core's handle", () => {
      const other = core === simd ? scalar : simd;
      const h = handleOf(other, x);
      assert.throws(() => core.instanceNorm(h, shape), {
        name: 'TypeError',
        message:
          "instanceNorm: x is a core array of another core instance, expected one from this core's alloc()",
      });
      const y = other.alloc(total);
      assert.throws(() => core.instanceNorm(x, shape, { out: { y } }), {
        name: 'TypeError',
        message: /^instanceNorm: out\.y is a core array of another core instance/,
      });
      h.free();
      y.free();
    });

    it('refuses a handle of the wrong length, as input or output', () => {
      const short = handleOf(core, x.subarray(0, total - 1));
      assert.throws(() => core.batchNorm(short, shape), {
        name: 'RangeError',
        message: `batchNorm: x has ${total - 1} values, expected n*c*s = ${total}`,
      });
      const g = core.alloc(5);
      assert.throws(() => core.batchNorm(x, shape, { gamma: g }), {
        name: 'RangeError',
        message: /^batchNorm: gamma has 5 values, expected c = 4/,
      });
      assert.throws(() => core.batchNorm(x, shape, { out: { mean: g } }), {
        name: 'RangeError',
        message: 'batchNorm: out.mean is a core array of 5, expected c = 4 values',
      });
      assert.throws(() => core.layerNorm(x, shape, { out: { y: g } }), {
        name: 'RangeError',
        message: `layerNorm: out.y is a core array of 5, expected n*c*s = ${total} values`,
      });
      short.free();
      g.free();
    });

    it('refuses one handle given as an output and as another argument', () => {
      const hx = handleOf(core, x);
      assert.throws(() => core.layerNorm(hx, shape, { out: { y: hx } }), {
        name: 'TypeError',
        message: 'layerNorm: out.y is the core array also given as x, expected a separate one',
      });
      const m = core.alloc(4);
      assert.throws(() => core.batchNorm(x, shape, { out: { mean: m, var: m } }), {
        name: 'TypeError',
        message:
          'batchNorm: out.var is the core array also given as out.mean, expected a separate one',
      });
      assert.throws(() => core.batchNorm(x, shape, { gamma: m, out: { mean: m } }), {
        name: 'TypeError',
        message:
          'batchNorm: out.mean is the core array also given as gamma, expected a separate one',
      });
      hx.free();
      m.free();
    });

    it('does not take a Proxy around a handle, or an object that looks like one, for a handle', () => {
      const h = handleOf(core, x);
      const fakes = [
        new Proxy(h, {}),
        { length: total, array: h.array, free() {} },
        Object.create(Object.getPrototypeOf(h)),
      ];
      for (const fake of fakes) {
        assert.throws(() => core.rmsNorm(fake, shape), {
          name: 'TypeError',
          message: /^rmsNorm: x is an object, expected a Float32Array/,
        });
      }
      assert.throws(
        () => Object.getOwnPropertyDescriptor(Object.getPrototypeOf(h), 'array').get.call({}),
        TypeError,
      );
      h.free();
    });

    it('refuses bad lengths for alloc', () => {
      for (const [length, name, shown] of [
        [0, 'RangeError', '0'],
        [-3, 'RangeError', '-3'],
        [2.5, 'RangeError', '2.5'],
        [NaN, 'RangeError', 'NaN'],
        ['8', 'TypeError', 'a string ("8")'],
        [undefined, 'TypeError', 'a undefined'],
        [null, 'TypeError', 'null'],
      ]) {
        assert.throws(() => core.alloc(length), {
          name,
          message: `alloc: length is ${shown}, expected a whole number >= 1`,
        });
      }
      const max = core.defaults.maxElements;
      assert.throws(() => core.alloc(max + 1), {
        name: 'RangeError',
        message: `alloc: length is ${max + 1}, expected at most ${max} (the core's largest array)`,
      });
    });

    it('stays usable and leak-free after every refusal above', () => {
      assert.equal(core.liveHandles, 0);
      const y = core.alloc(total);
      core.groupNorm(x, shape, { groups: 2, out: { y } });
      assert.deepEqual(bits(y.array), bits(core.groupNorm(x, shape, { groups: 2 }).y));
      y.free();
    });
  });
}
