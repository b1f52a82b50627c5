// Gradients through the built .wasm: both builds agree bit for bit, and both agree with a float64
// chain rule (tests/node/support/backward-reference.mjs) on shapes around the vector width.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { builds, scalar, simd } from './support/cores.mjs';
import { batchNormInferenceBackwardRef, normBackwardRef } from './support/backward-reference.mjs';
import { lcg, randomArray } from './support/reference.mjs';

const SHAPES = [
  { n: 2, c: 1, s: 1 },
  { n: 5, c: 4, s: 1 },
  { n: 7, c: 5, s: 1 },
  { n: 33, c: 17, s: 1 },
  { n: 2, c: 6, s: 5 },
  { n: 3, c: 4, s: 9 },
  { n: 8, c: 12, s: 16 },
];

const OPS = [
  { fn: 'batchNormBackward', op: 'batch', affine: (d) => d.c, applies: (d) => d.n * d.s > 1 },
  { fn: 'layerNormBackward', op: 'layer', affine: (d) => d.c * d.s },
  { fn: 'instanceNormBackward', op: 'instance', affine: (d) => d.c },
  { fn: 'groupNormBackward', op: 'group', affine: (d) => d.c, groups: (d) => (d.c % 2 ? 1 : 2) },
  { fn: 'rmsNormBackward', op: 'rms', affine: (d) => d.c * d.s },
];

// max |g - ref| <= 1e-4 * max(1, max |ref|) (DESIGN.md "Gradients").
function assertClose(got, ref, what) {
  assert.equal(got.length, ref.length, what);
  let worst = 0,
    scale = 1;
  for (let i = 0; i < ref.length; i++) {
    worst = Math.max(worst, Math.abs(got[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  assert.ok(worst <= 1e-4 * scale, `${what}: max error ${worst}, allowed ${1e-4 * scale}`);
}

const sameBits = (a, b) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );

describe('gradients of every norm', () => {
  for (const spec of OPS) {
    for (const d of SHAPES) {
      if (spec.applies && !spec.applies(d)) continue;
      for (const withGamma of [true, false]) {
        it(`${spec.fn} ${JSON.stringify(d)} ${withGamma ? 'with' : 'without'} gamma matches float64, simd = scalar`, () => {
          const rand = lcg(d.n * 131 + d.c * 7 + d.s);
          const total = d.n * d.c * d.s;
          const x = randomArray(total, rand, { mean: 3, std: 2 });
          const dy = randomArray(total, rand, { mean: 0.1 });
          const options = { eps: 1e-4 };
          if (withGamma) options.gamma = randomArray(spec.affine(d), rand, { mean: 1, std: 0.5 });
          if (spec.groups) options.groups = spec.groups(d);
          const ref = normBackwardRef(spec.op, dy, x, d, options);
          const results = builds.map((core) => core[spec.fn](dy, x, d, options));
          for (const key of Object.keys(ref)) {
            assertClose(results[0][key], ref[key], `${key}`);
            assert.ok(sameBits(results[0][key], results[1][key]), `${key}: simd and scalar differ`);
          }
          assert.deepEqual(Object.keys(results[0]).sort(), Object.keys(ref).sort());
        });
      }
    }
  }

  it('batchNormBackward in inference mode treats the running statistics as constants', () => {
    const d = { n: 4, c: 6, s: 3 };
    const rand = lcg(7);
    const x = randomArray(72, rand, { mean: 1 }),
      dy = randomArray(72, rand);
    const options = {
      training: false,
      gamma: randomArray(6, rand, { mean: 1 }),
      runningMean: randomArray(6, rand),
      runningVar: randomArray(6, rand).map((v) => 0.5 + v * v),
    };
    const ref = batchNormInferenceBackwardRef(dy, x, d, options);
    for (const core of builds) {
      const got = core.batchNormBackward(dy, x, d, options);
      for (const key of ['dx', 'dgamma', 'dbeta']) assertClose(got[key], ref[key], key);
    }
  });

  it('fills caller-owned out arrays and returns them', () => {
    const d = { n: 3, c: 4 };
    const dx = new Float32Array(12),
      dgamma = new Float32Array(4);
    const x = randomArray(12, lcg(3)),
      dy = randomArray(12, lcg(4));
    const r = simd.layerNormBackward(dy, x, d, { out: { dx, dgamma } });
    assert.equal(r.dx, dx);
    assert.equal(r.dgamma, dgamma);
    assert.equal(r.dbeta.length, 4);
    assertClose(dx, normBackwardRef('layer', dy, x, d).dx, 'dx');
  });

  it('gives NaN for the dx of a set holding NaN, and leaves other sets alone', () => {
    const x = new Float32Array([1, 2, NaN, 4, 5, 6, 7, 9]);
    const dy = new Float32Array([1, -1, 2, 0.5, 1, 2, 3, 4]);
    const { dx } = scalar.layerNormBackward(dy, x, { n: 2, c: 4 });
    assert.ok(dx.slice(0, 4).every(Number.isNaN));
    assert.ok(dx.slice(4).every(Number.isFinite));
  });
});

describe('gradient argument errors', () => {
  const x = new Float32Array(12),
    dy = new Float32Array(12);
  it('rejects dy whose length is not n*c*s', () => {
    assert.throws(() => simd.batchNormBackward(new Float32Array(10), x, { n: 3, c: 4 }), {
      name: 'RangeError',
      message: 'batchNormBackward: dy has 10 values, expected n*c*s = 12',
    });
  });
  it('rejects a missing x', () => {
    assert.throws(() => simd.layerNormBackward(dy, undefined, { n: 3, c: 4 }), {
      name: 'TypeError',
      message: 'layerNormBackward: x is undefined, expected a Float32Array or an array of numbers',
    });
  });
  it('rejects x whose length is not n*c*s', () => {
    assert.throws(() => simd.rmsNormBackward(dy, new Float32Array(11), { n: 3, c: 4 }), {
      name: 'RangeError',
      message: 'rmsNormBackward: x has 11 values, expected n*c*s = 12',
    });
  });
  it('rejects groups that do not divide c, and missing groups', () => {
    assert.throws(() => simd.groupNormBackward(dy, x, { n: 3, c: 4 }, { groups: 3 }), {
      name: 'RangeError',
      message: 'groupNormBackward: groups is 3, expected a divisor of c = 4',
    });
    assert.throws(() => simd.groupNormBackward(dy, x, { n: 3, c: 4 }), { name: 'TypeError' });
  });
  it('rejects batch-norm training with one value per channel', () => {
    assert.throws(() => simd.batchNormBackward(dy, x, { n: 1, c: 12 }), /n\*s = 1/);
  });
  it('rejects an out.dgamma of the wrong length', () => {
    assert.throws(
      () =>
        simd.instanceNormBackward(dy, x, { n: 3, c: 4 }, { out: { dgamma: new Float32Array(3) } }),
      {
        name: 'RangeError',
        message: 'instanceNormBackward: out.dgamma has 3 values, expected c = 4',
      },
    );
  });
  it('stays usable after an error', () => {
    assert.throws(() => simd.batchNormBackward(dy, x, { n: 3, c: 4 }, { eps: -1 }), /eps is -1/);
    assert.equal(simd.batchNormBackward(dy, x, { n: 3, c: 4 }).dx.length, 12);
  });
});
