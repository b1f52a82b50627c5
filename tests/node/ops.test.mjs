// Every operation through the built .wasm: SIMD and scalar builds agree bit for bit, and both
// agree with a float64 computation, on shapes around the vector width.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { builds, scalar, simd } from './support/cores.mjs';
import {
  batchNormRef,
  groupNormRef,
  instanceNormRef,
  layerNormRef,
  FLOAT32_U,
  lcg,
  maxAbsDiff,
  randomArray,
  rmsNormRef,
} from './support/reference.mjs';
import { assertClose, assertSameBits } from './support/compare.mjs';

// Shapes around the vector width (4 lanes) and across the kernels' blocks: set_stats.cpp sums
// 64 vectors (256 values) of a run before flushing, and batch norm over [N, C] walks 64 rows at
// a time; runs of 257, 300 and 1,029 values and 65 or 130 rows cross those edges.
const SHAPES = [
  { n: 2, c: 1, s: 1 },
  { n: 3, c: 3, s: 1 },
  { n: 5, c: 4, s: 1 },
  { n: 7, c: 5, s: 1 },
  { n: 9, c: 8, s: 1 },
  { n: 33, c: 17, s: 1 },
  { n: 2, c: 3, s: 5 },
  { n: 4, c: 2, s: 7 },
  { n: 3, c: 6, s: 9 },
  { n: 1, c: 4, s: 33 },
  { n: 8, c: 12, s: 16 },
  { n: 65, c: 3, s: 1 },
  { n: 130, c: 9, s: 1 },
  { n: 2, c: 257, s: 1 },
  { n: 3, c: 4, s: 300 },
  { n: 1, c: 2, s: 1029 },
];

// Data families. "Small spread" has var ~1e-4 against the default eps 1e-5, so where eps enters
// the formula changes y by percents, far beyond the tolerance.
const DATA = [
  { label: '', mean: 3, std: 2 },
  { label: ', small spread', mean: 0.02, std: 0.01 },
];

// Each case: the core call, the reference, and which result keys to compare.
const OPS = [
  {
    name: 'batchNorm',
    keys: ['y', 'mean', 'var', 'runningMean', 'runningVar'],
    ref: batchNormRef,
    options: (d, rand) => ({
      gamma: randomArray(d.c, rand),
      beta: randomArray(d.c, rand),
      runningMean: randomArray(d.c, rand),
      runningVar: randomArray(d.c, rand).map(Math.abs),
      momentum: 0.3,
    }),
    applies: (d) => d.n * d.s > 1,
  },
  {
    name: 'batchNorm',
    label: 'batchNorm (inference)',
    keys: ['y', 'mean', 'var', 'runningMean', 'runningVar'],
    ref: batchNormRef,
    options: (d, rand) => ({
      training: false,
      runningMean: randomArray(d.c, rand),
      runningVar: randomArray(d.c, rand).map((v) => 0.5 + Math.abs(v)),
    }),
  },
  {
    name: 'layerNorm',
    keys: ['y', 'mean', 'var'],
    ref: layerNormRef,
    options: (d, rand) => ({
      gamma: randomArray(d.c * d.s, rand),
      beta: randomArray(d.c * d.s, rand),
    }),
  },
  {
    name: 'instanceNorm',
    keys: ['y', 'mean', 'var'],
    ref: instanceNormRef,
    options: (d, rand) => ({
      gamma: randomArray(d.c, rand),
      beta: randomArray(d.c, rand),
      eps: 1e-3,
    }),
  },
  {
    name: 'groupNorm',
    keys: ['y', 'mean', 'var'],
    ref: groupNormRef,
    options: (d, rand) => ({
      groups: d.c % 3 === 0 ? 3 : d.c % 2 === 0 ? 2 : 1,
      gamma: randomArray(d.c, rand),
      beta: randomArray(d.c, rand),
    }),
  },
  {
    name: 'rmsNorm',
    keys: ['y', 'rms'],
    ref: rmsNormRef,
    options: (d, rand) => ({ gamma: randomArray(d.c * d.s, rand) }),
  },
];

const largest = (values) => (values ? Math.max(0, ...Array.from(values, Math.abs)) : 1);

// Tolerances from DESIGN.md's accuracy contract: the normalised value (x - mean) / sqrt(var + eps)
// within 1e-4 where |mean|/std <= 100 (true of every family here), so y within 1e-4 |gamma| plus
// the few float32 roundings of scaling and adding beta. Statistics: an error in the mean of
// 1e-4 std, or in the variance of 2e-4 var, is what moves the normalised value by 1e-4; the
// running statistics carry momentum times that. RMS: a few dozen roundings, relative.
function tolerances(op, d, options, ref) {
  const u = FLOAT32_U;
  const gammaMax = Math.max(1, largest(options.gamma));
  const yTol = 1e-4 * gammaMax + 4 * u * (largest(ref.y) + largest(options.beta));
  if (options.training === false) {
    // Inference echoes the running statistics bit for bit: they are float32 inputs.
    return {
      y: () => yTol,
      mean: () => 0,
      var: () => 0,
      runningMean: () => 0,
      runningVar: () => 0,
    };
  }
  const meanTol = (i) => 1e-4 * Math.sqrt(ref.var[i]) + 2 * u * Math.abs(ref.mean[i]);
  const varTol = (i) => 2e-4 * ref.var[i];
  const momentum = options.momentum ?? 0.1,
    count = op.name === 'batchNorm' ? d.n * d.s : 1;
  return {
    y: () => yTol,
    mean: meanTol,
    var: varTol,
    runningMean: (i) => momentum * meanTol(i) + 2 * u * Math.abs(ref.runningMean[i]),
    runningVar: (i) =>
      (momentum * varTol(i) * count) / (count - 1) + 2 * u * Math.abs(ref.runningVar[i]),
    rms: (i) => 32 * u * ref.rms[i],
  };
}

describe('operations against float64 and across builds', () => {
  for (const data of DATA) {
    for (const op of OPS) {
      for (const d of SHAPES) {
        if (op.applies && !op.applies(d)) continue;
        it(`${op.label ?? op.name} on [${d.n}, ${d.c}, ${d.s}]${data.label}`, () => {
          const rand = lcg(d.n * 1000 + d.c * 10 + d.s);
          const x = randomArray(d.n * d.c * d.s, rand, data);
          const options = op.options(d, rand);
          const a = simd[op.name](x, d, options);
          const b = scalar[op.name](x, d, options);
          const ref = op.ref(x, d, options);
          const tol = tolerances(op, d, options, ref);
          for (const key of op.keys) {
            assertSameBits(a[key], b[key], `${key}: SIMD against scalar`);
            assertClose(a[key], ref[key], tol[key], key);
          }
        });
      }
    }
  }
});

describe('accuracy when the mean is large against the spread', () => {
  // DESIGN.md: <= 1e-4 where |mean|/std <= 100, <= 1e-3 where |mean|/std <= 1e4, 65,536 per set.
  const families = [
    { mean: 100, std: 1, tolerance: 1e-4 },
    { mean: -1e4, std: 1, tolerance: 1e-3 },
    { mean: 1e4, std: 1, tolerance: 1e-3, outlierFirst: true },
  ];
  for (const { mean, std, tolerance, outlierFirst } of families) {
    for (const core of builds) {
      it(`${core.variant}: batch norm and layer norm with mean ${mean}, std ${std}${outlierFirst ? ', outlier first' : ''}`, () => {
        const x = randomArray(65536 * 2, lcg(7), { mean, std });
        if (outlierFirst) x[0] = mean + 1e4 * std;
        const bn = core.batchNorm(x, { n: 65536, c: 2 });
        assert.ok(maxAbsDiff(bn.y, batchNormRef(x, { n: 65536, c: 2, s: 1 }).y) <= tolerance);
        const rows = core.batchNorm(x, { n: 8, c: 2, s: 8192 });
        assert.ok(maxAbsDiff(rows.y, batchNormRef(x, { n: 8, c: 2, s: 8192 }).y) <= tolerance);
        const ln = core.layerNorm(x, { n: 2, c: 65536 });
        assert.ok(maxAbsDiff(ln.y, layerNormRef(x, { n: 2, c: 65536, s: 1 }).y) <= tolerance);
      });
    }
  }
});

describe('running statistics', () => {
  it("follow PyTorch's update over 100 steps and approach the population", () => {
    const d = { n: 64, c: 3, s: 1 };
    let state = { runningMean: undefined, runningVar: undefined };
    let ref = { runningMean: [0, 0, 0], runningVar: [1, 1, 1] };
    for (let step = 0; step < 100; step++) {
      const x = simd.sample({ n: d.n, c: d.c, seed: step, offset: [5, -2, 0], scale: [2, 0.5, 1] });
      const out = simd.batchNorm(x, d, { ...state, momentum: 0.1 });
      ref = batchNormRef(x, d, {
        runningMean: ref.runningMean,
        runningVar: ref.runningVar,
        momentum: 0.1,
      });
      state = { runningMean: out.runningMean, runningVar: out.runningVar };
      assert.ok(maxAbsDiff(out.runningMean, ref.runningMean) < 1e-5);
      assert.ok(maxAbsDiff(out.runningVar, ref.runningVar) < 1e-5);
    }
    [5, -2, 0].forEach((mu, c) =>
      assert.ok(Math.abs(state.runningMean[c] - mu) < 0.2, `channel ${c}`),
    );
    assert.ok(
      Math.abs(state.runningVar[0] - 4) < 0.6 && Math.abs(state.runningVar[1] - 0.25) < 0.05,
    );
  });

  it('inference uses and echoes the running statistics and leaves them unchanged', () => {
    const x = new Float32Array([1, 2, 3, 4]);
    const r = simd.batchNorm(
      x,
      { n: 1, c: 4 },
      {
        training: false,
        runningMean: [1, 1, 1, 1],
        runningVar: [4, 4, 4, 4],
        eps: 0,
      },
    );
    assert.deepEqual([...r.y], [0, 0.5, 1, 1.5]);
    assert.deepEqual([...r.mean], [1, 1, 1, 1]);
    assert.deepEqual([...r.runningVar], [4, 4, 4, 4]);
  });
});

describe('results and inputs', () => {
  it('never mutates inputs', () => {
    const x = new Float32Array([1, 5, 2, 8]),
      rm = new Float32Array([0, 0]),
      copy = x.slice();
    simd.batchNorm(x, { n: 2, c: 2 }, { runningMean: rm });
    assert.deepEqual(x, copy);
    assert.deepEqual([...rm], [0, 0]);
  });

  it('fills caller-owned out arrays and returns them', () => {
    const x = new Float32Array([1, 5, 2, 8]),
      y = new Float32Array(4),
      mean = new Float32Array(2);
    const r = simd.batchNorm(x, { n: 2, c: 2 }, { out: { y, mean } });
    assert.equal(r.y, y);
    assert.equal(r.mean, mean);
    assert.deepEqual([...mean], [1.5, 6.5]);
    assert.notEqual(r.var, undefined);
  });

  // The loader copies results out of the core's memory: a result is not a view that the next
  // call overwrites or that memory growth empties.
  for (const core of builds) {
    it(`${core.variant}: keeps each result when later calls run, memory grows included`, () => {
      const d = { n: 70, c: 3, s: 1 };
      const x = randomArray(210, lcg(11));
      const first = core.batchNorm(x, d);
      const kept = Object.fromEntries(Object.entries(first).map(([k, v]) => [k, v.slice()]));
      core.batchNorm(randomArray(210, lcg(12), { mean: 50 }), d);
      core.layerNorm(randomArray(1 << 20, lcg(13)), { n: 4, c: 1 << 18 }); // may grow memory
      for (const key of Object.keys(kept)) {
        assertSameBits(first[key], kept[key], `${key} after later calls`);
      }
    });
  }

  // out arrays longer and shorter than the loader's small-copy cut-over: every element filled.
  for (const core of builds) {
    for (const length of [3, 64, 65, 200, 1029]) {
      it(`${core.variant}: fills every element of out arrays of ${length} values`, () => {
        const d = { n: length, c: 1, s: 1 };
        const x = randomArray(length, lcg(length));
        const fresh = core.layerNorm(x, { n: 1, c: length });
        const y = new Float32Array(length).fill(NaN),
          mean = new Float32Array(1).fill(NaN);
        const r = core.layerNorm(x, { n: 1, c: length }, { out: { y, mean } });
        assert.equal(r.y, y);
        assertSameBits(y, fresh.y, 'y written through out');
        assertSameBits(mean, fresh.mean, 'mean written through out');
        if (length > 1) {
          const bn = core.batchNorm(x, d, { out: { y: new Float32Array(length).fill(NaN) } });
          assertSameBits(bn.y, core.batchNorm(x, d).y, 'batch norm y written through out');
        }
      });
    }
  }

  it('returns every result at its documented length', () => {
    const d = { n: 5, c: 6, s: 7 },
      x = randomArray(210, lcg(5));
    const lengths = (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.length]));
    assert.deepEqual(lengths(simd.batchNorm(x, d)), {
      y: 210,
      mean: 6,
      var: 6,
      runningMean: 6,
      runningVar: 6,
    });
    assert.deepEqual(lengths(simd.layerNorm(x, d)), { y: 210, mean: 5, var: 5 });
    assert.deepEqual(lengths(simd.instanceNorm(x, d)), { y: 210, mean: 30, var: 30 });
    assert.deepEqual(lengths(simd.groupNorm(x, d, { groups: 3 })), { y: 210, mean: 15, var: 15 });
    assert.deepEqual(lengths(simd.rmsNorm(x, d)), { y: 210, rms: 5 });
    assert.equal(simd.sample({ n: 5, c: 6, s: 7 }).length, 210);
  });

  it('accepts plain arrays of numbers as well as Float32Arrays', () => {
    const a = simd.layerNorm([1, 2, 3, 4], { n: 1, c: 4 });
    const b = simd.layerNorm(new Float32Array([1, 2, 3, 4]), { n: 1, c: 4 });
    assert.deepEqual(a, b);
  });
});

describe('non-finite values', () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    for (const core of builds) {
      it(`${core.variant}: ${bad} makes its own set NaN and no other`, () => {
        const d = { n: 4, c: 6, s: 3 };
        const x = randomArray(72, lcg(3));
        const poisoned = x.slice();
        poisoned[(1 * d.c + 2) * d.s + 1] = bad; // sample 1, channel 2
        const clean = core.batchNorm(x, d),
          dirty = core.batchNorm(poisoned, d);
        for (let i = 0; i < x.length; i++) {
          const channel = Math.floor(i / d.s) % d.c;
          if (channel === 2) assert.ok(Number.isNaN(dirty.y[i]), `y[${i}] should be NaN`);
          else assert.equal(dirty.y[i], clean.y[i]);
        }
        assert.ok(
          Number.isNaN(dirty.mean[2]) &&
            Number.isNaN(dirty.var[2]) &&
            Number.isNaN(dirty.runningMean[2]),
        );
        assert.equal(dirty.mean[1], clean.mean[1]);
        const ln = core.layerNorm(poisoned, d),
          lnClean = core.layerNorm(x, d);
        assert.ok(ln.y.slice(18, 36).every(Number.isNaN) && Number.isNaN(ln.mean[1]));
        assert.deepEqual([...ln.y.slice(0, 18)], [...lnClean.y.slice(0, 18)]);
        const rms = core.rmsNorm(poisoned, d);
        assert.ok(Number.isNaN(rms.rms[1]) && !Number.isNaN(rms.rms[0]));
        const gn = core.groupNorm(poisoned, d, { groups: 3 });
        assert.ok(Number.isNaN(gn.mean[1 * 3 + 1]) && !Number.isNaN(gn.mean[1 * 3 + 0]));
      });
    }
  }
});
