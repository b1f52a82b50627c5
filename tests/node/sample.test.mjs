// The seeded sampler: deterministic per seed, and each distribution has the moments it should.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertSameBits } from './support/compare.mjs';
import { scalar, simd } from './support/cores.mjs';

function moments(values) {
  let sum = 0,
    sq = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  for (const v of values) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length) };
}

const N = 200000;

describe('sample', () => {
  it('gives the same bytes for the same seed, in both builds', () => {
    const args = { distribution: 'student-t', n: 500, c: 3, seed: 42, df: 4 };
    const a = simd.sample(args),
      b = simd.sample(args),
      c = scalar.sample(args);
    assert.equal(a.length, 1500);
    assertSameBits(a, b, 'simd twice');
    assertSameBits(a, c, 'simd against scalar');
  });

  it('gives different values for different seeds', () => {
    const a = simd.sample({ n: 100, c: 1, seed: 1 }),
      b = simd.sample({ n: 100, c: 1, seed: 2 });
    assert.ok(a.some((v, i) => v !== b[i]));
  });

  // Tolerances: a few standard errors at 200,000 draws.
  const CASES = [
    ['normal', { mean: 3, std: 2 }, 3, 2],
    ['uniform', { low: -1, high: 3 }, 1, 4 / Math.sqrt(12)],
    [
      'lognormal',
      { mu: 0, sigma: 0.5 },
      Math.exp(0.125),
      Math.sqrt((Math.exp(0.25) - 1) * Math.exp(0.25)),
    ],
    ['bimodal', { separation: 6, std: 1 }, 0, Math.sqrt(9 + 1)],
    ['student-t', { df: 5 }, 0, Math.sqrt(5 / 3)],
  ];
  for (const [distribution, params, mean, std] of CASES) {
    it(`${distribution} has mean ${mean.toFixed(3)} and std ${std.toFixed(3)}`, () => {
      const values = simd.sample({ distribution, n: N, c: 1, seed: 7, ...params });
      const m = moments(values);
      assert.ok(Math.abs(m.mean - mean) < 0.02 * Math.max(1, std), `mean ${m.mean}`);
      assert.ok(Math.abs(m.std - std) / std < 0.02, `std ${m.std}`);
    });
  }

  it('keeps uniform draws inside [low, high)', () => {
    const values = simd.sample({ distribution: 'uniform', n: 10000, c: 1, low: 2, high: 3 });
    const outside = values.findIndex((v) => !(v >= 2 && v < 3));
    assert.equal(outside, -1, `value ${values[outside]} at ${outside} is outside [2, 3)`);
  });

  it('puts bimodal draws around two modes, none near the middle when they are far apart', () => {
    const values = simd.sample({ distribution: 'bimodal', n: 10000, c: 1, separation: 20, std: 1 });
    const left = values.filter((v) => v < 0).length;
    assert.ok(left > 4700 && left < 5300);
    assert.ok(values.every((v) => Math.abs(v) > 3));
  });

  it('applies per-channel offsets and scales', () => {
    const values = simd.sample({ n: 50000, c: 2, s: 2, offset: [10, -5], scale: [3, 0.5] });
    const channel = (c) => values.filter((_, i) => Math.floor(i / 2) % 2 === c);
    const a = moments(channel(0)),
      b = moments(channel(1));
    assert.ok(Math.abs(a.mean - 10) < 0.05 && Math.abs(a.std - 3) < 0.05);
    assert.ok(Math.abs(b.mean + 5) < 0.01 && Math.abs(b.std - 0.5) < 0.01);
  });
});
