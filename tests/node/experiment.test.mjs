// The lab's experiment (web/src/lab/experiment.js) in Node: networks from the same Linear weights
// on the same batches, and the shapes and sense of everything it measures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { simd } from './support/cores.mjs';
import { Experiment, GRID, linearSlots, summarise } from '../../web/src/lab/experiment.js';

const SETTINGS = {
  dataset: 'rings',
  depth: 2,
  width: 16,
  norms: ['none', 'batch', 'group', 'rms'],
  groups: 4,
  trainSize: 256,
  testSize: 128,
};

describe('experiment', () => {
  it('starts every network from the same Linear weights', () => {
    const e = new Experiment(simd, SETTINGS);
    const linear = e.nets.map(({ norm, net }) => {
      const p = net.parameters();
      return linearSlots(2, norm).map((k) => Array.from(p[k]));
    });
    for (const other of linear.slice(1)) assert.deepEqual(other, linear[0]);
    e.free();
  });

  it('feeds the same stream of batches: a network alone or beside others ends the same', () => {
    const together = new Experiment(simd, SETTINGS);
    const alone = new Experiment(simd, { ...SETTINGS, norms: ['rms', 'none'] });
    together.run(30);
    alone.run(30);
    assert.deepEqual(together.nets[3].net.parameters(), alone.nets[0].net.parameters());
    assert.equal(together.step, 30);
    together.free();
    alone.free();
  });

  it('measures curves, landscape, layers and regions with the right shapes', () => {
    const e = new Experiment(simd, SETTINGS);
    let out = {};
    for (let i = 0; i < 100; i++) out = e.advance(); // step 100 evaluates and measures
    assert.equal(out.curve.nets.length, 4);
    assert.ok(out.curve.nets.every((n) => n.accuracy >= 0 && n.accuracy <= 1));
    for (const m of out.landscape.nets)
      assert.ok(m.spread >= 0 && m.gradientChange > 0, JSON.stringify(m));
    assert.equal(out.layers.nets[0].length, 2);
    assert.equal(out.layers.nets[0][0].length, 3);
    const [summary] = e.layerSummaries()[1];
    const counted = summary.preNorm.histogram.counts.reduce((a, b) => a + b, 0);
    assert.equal(counted, 32 * 16);
    // Before any update (lr 0), batch norm's output has mean 0 and std 1 in every feature.
    const still = new Experiment(simd, { ...SETTINGS, lr: 0 });
    still.run(1);
    const { postNorm } = still.layerSummaries()[1][0];
    assert.ok(
      Math.abs(postNorm.mean) < 1e-5 && Math.abs(postNorm.std - 1) < 1e-3,
      JSON.stringify(postNorm),
    );
    still.free();
    const regions = e.regions();
    assert.equal(regions[0].length, GRID * GRID * 2);
    for (let i = 0; i < 10; i++)
      assert.ok(Math.abs(regions[2][2 * i] + regions[2][2 * i + 1] - 1) < 1e-5);
    assert.equal(e.points(50).length, 150);
    const modes = e.evalModes(8);
    assert.equal(modes[0].running, modes[0].batch, 'no norm: both modes agree');
    e.free();
  });

  it('summarises values with mean, std, quantiles and a histogram', () => {
    const s = summarise(Float32Array.from([-10, -1, 0, 1, 10]), -2, 2);
    assert.equal(s.mean, 0);
    assert.deepEqual(s.quantiles, [-10, 0, 10]);
    assert.equal(s.histogram.counts[0], 1);
    assert.equal(s.histogram.counts[s.histogram.counts.length - 1], 1);
  });
});
