// The data behind the layer, instance, group and RMS entries' prose figures (web/src/figures/*-data.js),
// computed by the built core, held against the float64 reference on the same float32 inputs.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadNormCore } from '../../web/src/core/index.js';
import {
  BATCH_SIZES,
  FEATURES,
  SAME_TOLERANCE,
  batchNormChange,
  batchOfOne,
} from '../../web/src/figures/batch-of-one-data.js';
import {
  CHANNELS as IMAGE_CHANNELS,
  CONTRAST,
  EXAMPLES,
  LOOKS,
  SHAPE as IMAGE_SHAPE,
  contrast,
  images,
} from '../../web/src/figures/contrast-data.js';
import {
  CHANNELS,
  GROUP_CHOICES,
  SHAPE as GROUP_SHAPE,
  groupsOf,
  sampleFor,
} from '../../web/src/figures/groups-data.js';
import { largestDifference } from '../../web/src/figures/differences.js';
import { SHIFT, baseExample, rmsShift, shifted } from '../../web/src/figures/rms-shift-data.js';
import {
  batchNormRef,
  groupNormRef,
  instanceNormRef,
  layerNormRef,
  maxAbsDiff,
  rmsNormRef,
} from './support/reference.mjs';

const TOLERANCE = 1e-5;
let core;
before(async () => {
  core = await loadNormCore();
});

const refMean = (values) => values.reduce((a, v) => a + v, 0) / values.length;

describe('batch-of-one data', () => {
  it('layer norm gives the example the same output alone and in every batch, as the reference does', () => {
    for (const size of BATCH_SIZES) {
      for (const seed of [41, 42, 99]) {
        const r = batchOfOne(core, size, seed);
        const shape = { n: size, c: FEATURES, s: 1 };
        const ref = layerNormRef(r.batch, shape).y.slice(0, FEATURES);
        assert.ok(maxAbsDiff(r.layer, ref) < TOLERANCE, `batch ${size}, seed ${seed}`);
        assert.ok(maxAbsDiff(r.alone, ref) < TOLERANCE, `alone, batch ${size}`);
        assert.ok(r.same && r.difference <= SAME_TOLERANCE, `batch ${size}: ${r.difference}`);
        assert.deepEqual(Array.from(r.batch.slice(0, FEATURES)), Array.from(r.example));
      }
    }
  });

  it('batch norm follows the reference, moves with the batch, and is refused at batch size 1', () => {
    for (const size of BATCH_SIZES.slice(1)) {
      const a = batchOfOne(core, size, 41);
      const b = batchOfOne(core, size, 42);
      const ref = batchNormRef(a.batch, { n: size, c: FEATURES, s: 1 }).y.slice(0, FEATURES);
      assert.ok(maxAbsDiff(a.batchNorm, ref) < TOLERANCE, `batch ${size}`);
      assert.ok(batchNormChange(a, b) > 0.01, `batch ${size}: batch norm moved`);
    }
    const one = batchOfOne(core, 1, 41);
    assert.equal(one.batchNorm, null);
    assert.equal(batchNormChange(one, batchOfOne(core, 1, 42)), null);
    assert.throws(() => batchOfOne(core, 3, 41), /batchOfOne: batchSize is 3, expected one of/);
  });
});

describe('contrast data', () => {
  it('instance norm of the images matches the reference; every channel ends with mean 0, std 1', () => {
    for (const look of [LOOKS[0], { brightness: -3, contrast: CONTRAST.min }, LOOKS[1]]) {
      const r = contrast(core, look);
      const x = images(core, look);
      assert.deepEqual(Array.from(r.x), Array.from(x));
      const ref = instanceNormRef(x, IMAGE_SHAPE);
      assert.ok(maxAbsDiff(r.y, ref.y) < TOLERANCE, JSON.stringify(look));
      for (let i = 0; i < EXAMPLES * IMAGE_CHANNELS; i++) {
        assert.ok(Math.abs(r.before.mean[i] - ref.mean[i]) < TOLERANCE);
        assert.ok(Math.abs(r.before.std[i] - Math.sqrt(ref.var[i])) < TOLERANCE);
        assert.ok(Math.abs(r.after.mean[i]) < 1e-5, `after mean ${r.after.mean[i]}`);
        assert.ok(Math.abs(r.after.std[i] - 1) < 0.005, `after std ${r.after.std[i]}`);
      }
    }
  });

  it('example 1’s look sets its level and contrast before, and only example 1’s', () => {
    const dim = contrast(core, { brightness: -2, contrast: 0.5 });
    const bright = contrast(core, { brightness: 2, contrast: 3 });
    assert.ok(bright.before.mean[0] - dim.before.mean[0] > 3.5);
    assert.ok(Math.abs(bright.before.std[0] / dim.before.std[0] - 6) < 1e-3);
    for (let i = IMAGE_CHANNELS; i < EXAMPLES * IMAGE_CHANNELS; i++) {
      assert.equal(bright.before.mean[i], dim.before.mean[i]);
    }
    assert.throws(
      () => contrast(core, { brightness: 0, contrast: 0 }),
      /contrast: look.contrast is 0, expected 0.25 to 3/,
    );
  });
});

describe('groups data', () => {
  it('group norm matches the reference for every G; equals layer norm only at G = 1, instance norm only at G = C', () => {
    for (const seed of [61, 62, 63]) {
      const x = core.sample(sampleFor(seed));
      for (const groups of GROUP_CHOICES) {
        const r = groupsOf(core, x, groups);
        const ref = groupNormRef(x, GROUP_SHAPE, { groups });
        assert.ok(maxAbsDiff(r.y, ref.y) < TOLERANCE, `G = ${groups}`);
        const ln = layerNormRef(x, GROUP_SHAPE).y;
        const inorm = instanceNormRef(x, GROUP_SHAPE).y;
        assert.ok(Math.abs(r.fromLayer - maxAbsDiff(ref.y, ln)) < TOLERANCE, `G = ${groups}`);
        assert.ok(Math.abs(r.fromInstance - maxAbsDiff(ref.y, inorm)) < TOLERANCE);
        assert.equal(r.equalsLayer, groups === 1, `G = ${groups}: ${r.fromLayer}`);
        assert.equal(r.equalsInstance, groups === CHANNELS, `G = ${groups}: ${r.fromInstance}`);
      }
    }
    assert.throws(() => groupsOf(core, core.sample(sampleFor(61)), 3), /groupsOf: groups is 3/);
  });
});

describe('rms-shift data', () => {
  it('layer norm’s output mean stays 0; RMS norm’s is the input mean over its RMS, as the reference says', () => {
    const base = baseExample(core);
    const shape = { n: 1, c: base.length, s: 1 };
    for (let shift = SHIFT.min; shift <= SHIFT.max; shift += 0.75) {
      const r = rmsShift(core, base, shift);
      const x = shifted(base, shift);
      const ln = layerNormRef(x, shape);
      const rms = rmsNormRef(x, shape);
      assert.ok(maxAbsDiff(r.layer.y, ln.y) < TOLERANCE, `shift ${shift}`);
      assert.ok(maxAbsDiff(r.rmsNorm.y, rms.y) < TOLERANCE, `shift ${shift}`);
      assert.ok(Math.abs(r.rms - rms.rms[0]) < TOLERANCE);
      assert.ok(Math.abs(r.mean - shift) < 1e-5, `input mean ${r.mean} at shift ${shift}`);
      assert.ok(Math.abs(r.layer.mean - refMean(ln.y)) < 1e-6);
      assert.ok(Math.abs(r.layer.mean) < 1e-6);
      assert.ok(Math.abs(r.rmsNorm.mean - refMean(rms.y)) < 1e-6);
      assert.ok(Math.abs(r.rmsNorm.mean - shift / rms.rms[0]) < 1e-5, `shift ${shift}`);
    }
    const zero = rmsShift(core, base, 0);
    assert.ok(zero.difference < 5e-4, `at shift 0 the two agree: ${zero.difference}`);
    assert.ok(rmsShift(core, base, 2).difference > 0.5);
    assert.throws(() => rmsShift(core, base, 4), /rmsShift: shift is 4, expected -3 to 3/);
  });
});

describe('largestDifference', () => {
  it('is the largest absolute gap, and refuses lists of different lengths', () => {
    assert.equal(largestDifference([1, -2, 3], [1.5, 2, 3]), 4);
    assert.equal(largestDifference(new Float32Array(0), []), 0);
    assert.throws(
      () => largestDifference([1, 2], [1]),
      /largestDifference: a has 2 values, b has 1/,
    );
  });
});
