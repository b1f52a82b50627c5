// The core's network against an independent float64 step (tests/node/support/network-reference.mjs)
// from the same weights: the loss, every updated parameter and the running statistics, for each
// norm, with and without momentum; the two builds bit for bit; toy data; argument errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { builds, scalar, simd } from './support/cores.mjs';
import { referenceState, referenceStep } from './support/network-reference.mjs';

const NORMS = ['none', 'batch', 'layer', 'group', 'rms'];

// Steps the core network and the reference from the same weights and compares after each step.
function compareSteps(core, config, steps, { lr, momentum }) {
  const net = core.createNetwork(config);
  const { x, labels } = core.toyData({ dataset: 'spirals', n: 16 * steps, seed: 5, noise: 0.2 });
  const state = referenceState(config, net.parameters());
  for (let s = 0; s < steps; s++) {
    const xb = x.subarray(32 * s, 32 * (s + 1)),
      lb = labels.subarray(16 * s, 16 * (s + 1));
    const before = net.parameters();
    const loss = net.step(xb, lb, { lr, momentum });
    const ref = referenceStep(config, state, xb, Array.from(lb), { lr, momentum });
    assert.ok(
      Math.abs(loss - ref.loss) <= 1e-5 * Math.max(1, ref.loss),
      `step ${s}: loss ${loss} vs ${ref.loss}`,
    );
    const after = net.parameters();
    after.forEach((p, k) => {
      // Compare the updates, so that a wrong step cannot hide behind the size of the weights.
      let worst = 0,
        largest = 0;
      for (let j = 0; j < p.length; j++) {
        const update = p[j] - before[k][j],
          refUpdate = state.params[k][j] - before[k][j];
        worst = Math.max(worst, Math.abs(update - refUpdate));
        largest = Math.max(largest, Math.abs(refUpdate));
      }
      // Batch norm cancels the bias before it: its gradient is zero (up to rounding).
      const cancelled = config.norm === 'batch' && k % 4 === 1 && k < 4 * config.hidden.length;
      if (cancelled) assert.ok(worst <= 1e-6, `step ${s}: the bias before batch norm moved`);
      else assert.ok(largest > 0, `step ${s}, parameter ${k}: the reference did not move it`);
      assert.ok(
        worst <= 2e-3 * largest + 2e-7,
        `step ${s}, parameter ${k}: update differs by ${worst} (largest update ${largest})`,
      );
    });
    if (config.norm === 'batch') {
      net.runningStatistics().forEach((r, l) => {
        for (const key of ['mean', 'var']) {
          for (let j = 0; j < r[key].length; j++) {
            const want = state.running[l][key][j];
            assert.ok(
              Math.abs(r[key][j] - want) <= 1e-5 * Math.max(1, Math.abs(want)),
              `step ${s}, layer ${l}, running ${key}[${j}]: ${r[key][j]} vs ${want}`,
            );
          }
        }
      });
    }
  }
  const result = { params: net.parameters(), running: net.runningStatistics() };
  net.free();
  return result;
}

describe('a training step against a float64 reference from the same weights', () => {
  for (const norm of NORMS) {
    for (const momentum of [0, 0.9]) {
      it(`${norm} norm, momentum ${momentum}: loss, every parameter, running statistics`, () => {
        const config = { inputs: 2, hidden: [8, 12], classes: 3, norm, groups: 2, seed: 9 };
        const results = builds.map((core) => compareSteps(core, config, 3, { lr: 0.3, momentum }));
        results[0].params.forEach((p, k) =>
          assert.deepEqual(p, results[1].params[k], `simd and scalar differ in parameter ${k}`),
        );
      });
    }
  }

  it('initialises as nn.Linear, W times initScale, from the seed', () => {
    const a = simd.createNetwork({ hidden: [16], classes: 2, seed: 4, initScale: 3 });
    const b = scalar.createNetwork({ hidden: [16], classes: 2, seed: 4, initScale: 1 });
    const [wa, ba] = a.parameters(),
      [wb, bb] = b.parameters();
    const bound = 1 / Math.sqrt(2);
    assert.ok(wb.every((w) => Math.abs(w) <= bound) && bb.every((v) => Math.abs(v) <= bound));
    assert.ok(Math.max(...wb.map(Math.abs)) > 0.9 * bound, 'the uniform range is used');
    wa.forEach((w, i) => assert.ok(Math.abs(w - 3 * wb[i]) <= 1e-6));
    assert.deepEqual(ba, bb);
    a.free();
    b.free();
  });
});

describe('network use', () => {
  it('learns spirals, and evaluate/predict use inference mode', () => {
    const train = simd.toyData({ dataset: 'spirals', n: 600, seed: 1 });
    const net = simd.createNetwork({ hidden: [32, 32], classes: 3, norm: 'batch', seed: 2 });
    for (let s = 0; s < 600; s++) {
      const o = (s * 32) % 576;
      net.step(train.x.subarray(2 * o, 2 * o + 64), train.labels.subarray(o, o + 32), {
        lr: 0.1,
        momentum: 0.9,
      });
    }
    const { accuracy, loss } = net.evaluate(train.x, train.labels);
    assert.ok(accuracy > 0.85 && loss < 0.5, `accuracy ${accuracy}, loss ${loss}`);
    const p = net.predict(train.x.subarray(0, 20));
    assert.equal(p.length, 30);
    for (let i = 0; i < 10; i++)
      assert.ok(Math.abs(p[3 * i] + p[3 * i + 1] + p[3 * i + 2] - 1) < 1e-5);
    // Inference mode: a row's probabilities do not depend on the rest of the batch.
    const single = net.predict(train.x.subarray(0, 2));
    assert.deepEqual(Array.from(single), Array.from(p.subarray(0, 3)));
    const acts = net.activations();
    assert.equal(acts.length, 2);
    assert.equal(acts[0].preNorm.length, 32 * 32);
    net.free();
  });

  it('reports divergence as a non-finite loss and keeps going', () => {
    const { x, labels } = simd.toyData({ dataset: 'xor', n: 64, seed: 3 });
    const net = simd.createNetwork({ hidden: [16, 16], classes: 2, initScale: 10 });
    let loss = 0;
    for (let s = 0; s < 40 && Number.isFinite(loss); s++)
      loss = net.step(x, labels, { lr: 1e4, momentum: 0.9 });
    assert.ok(!Number.isFinite(loss), `loss ${loss}`);
    assert.ok(
      Number.isNaN(net.evaluate(x, labels).loss) || !Number.isFinite(net.evaluate(x, labels).loss),
    );
    net.free();
  });

  it('setParameters copies weights in and resets running statistics', () => {
    const a = simd.createNetwork({ hidden: [8], classes: 2, norm: 'batch', seed: 1 });
    const b = simd.createNetwork({ hidden: [8], classes: 2, norm: 'batch', seed: 2 });
    const { x, labels } = simd.toyData({ dataset: 'moons', n: 32, seed: 1 });
    b.step(x, labels, { lr: 0.1 });
    b.setParameters(a.parameters());
    assert.deepEqual(b.parameters(), a.parameters());
    assert.ok(b.runningStatistics()[0].var.every((v) => v === 1));
    assert.equal(a.step(x, labels, { lr: 0.1 }), b.step(x, labels, { lr: 0.1 }));
    a.free();
    b.free();
  });

  it('probes along the gradient without changing the network', () => {
    const { x, labels } = simd.toyData({ dataset: 'spirals', n: 32, seed: 1 });
    const net = simd.createNetwork({ hidden: [16, 16], classes: 3, norm: 'layer' });
    const before = net.parameters();
    const r = net.probe(x, labels, { lr: 0.1 });
    assert.deepEqual(net.parameters(), before);
    assert.equal(r.losses.length, 5);
    assert.ok(r.gradientNorm > 0 && r.losses[0] < r.loss, 'a small step along -g lowers the loss');
    assert.ok(r.gradientChanges[4] > r.gradientChanges[0]);
    net.free();
  });
});

describe('toy data', () => {
  it('gives the same bytes in both builds, balanced classes, another seed another set', () => {
    for (const dataset of ['spirals', 'rings', 'moons', 'xor']) {
      const a = simd.toyData({ dataset, n: 99, seed: 7 });
      const b = scalar.toyData({ dataset, n: 99, seed: 7 });
      assert.deepEqual(a, b);
      assert.equal(a.classes, dataset === 'spirals' ? 3 : 2);
      assert.ok(a.labels instanceof Int32Array && a.x.length === 198);
      assert.equal(a.labels[4], 4 % a.classes);
      assert.notDeepEqual(simd.toyData({ dataset, n: 99, seed: 8 }).x, a.x);
    }
  });
  it('scales and offsets the second feature when unnormalised', () => {
    const a = simd.toyData({ dataset: 'moons', n: 10, seed: 1 });
    const b = simd.toyData({ dataset: 'moons', n: 10, seed: 1, unnormalised: true });
    for (let i = 0; i < 10; i++) {
      assert.equal(a.x[2 * i], b.x[2 * i]);
      assert.ok(Math.abs(b.x[2 * i + 1] - (20 * a.x[2 * i + 1] + 30)) < 1e-4);
    }
  });
});

describe('network and toy data argument errors', () => {
  it('names bad network options', () => {
    assert.throws(() => simd.createNetwork({ hidden: [8, 0], classes: 2 }), {
      name: 'RangeError',
      message: 'createNetwork: hidden[1] is 0, expected a whole number in [1, 4096]',
    });
    assert.throws(() => simd.createNetwork({ hidden: 8, classes: 2 }), { name: 'TypeError' });
    assert.throws(() => simd.createNetwork({ hidden: [8], classes: 2, norm: 'batchy' }), /norm is/);
    assert.throws(() => simd.createNetwork({ hidden: [6], classes: 2, norm: 'group', groups: 4 }), {
      message: 'createNetwork: groups is 4, expected a divisor of hidden[0] = 6',
    });
    assert.throws(() => simd.createNetwork({ hidden: [6] }), /classes/);
  });
  it('names bad batches and labels', () => {
    const net = simd.createNetwork({ hidden: [4], classes: 3 });
    const x = new Float32Array(8);
    assert.throws(() => net.step(x, [0, 1, 2, 3], { lr: 0.1 }), {
      name: 'RangeError',
      message: 'network.step: labels[3] is 3, expected a whole number in [0, 2]',
    });
    assert.throws(() => net.step(x, [0, 1, 2], { lr: 0.1 }), {
      message: 'network.step: x has 8 values, expected n*inputs = 6 (n = 3)',
    });
    assert.throws(() => net.step(x, [0, 1, 2, 0]), { name: 'TypeError', message: /lr/ });
    assert.throws(() => net.predict(new Float32Array(3)), /multiple of inputs = 2/);
    assert.throws(() => net.setParameters([new Float32Array(3)]), /setParameters/);
    net.free();
    assert.throws(() => net.step(x, [0, 1, 2, 0], { lr: 0.1 }), {
      name: 'TypeError',
      message: 'network.step: the network has been freed',
    });
  });
  it('names bad toy data options', () => {
    assert.throws(() => simd.toyData({ dataset: 'circles', n: 10 }), /dataset/);
    assert.throws(() => simd.toyData({ dataset: 'moons', n: 0 }), {
      message: 'toyData: n is 0, expected a whole number in [1, 4194304]',
    });
    assert.throws(() => simd.toyData({ dataset: 'moons', n: 5, noise: -1 }), /noise is -1/);
  });
  it('frees what it allocates', () => {
    const start = simd.heapInUse;
    for (let i = 0; i < 20; i++) {
      const net = simd.createNetwork({ hidden: [32, 32], classes: 3, norm: 'batch' });
      const { x, labels } = simd.toyData({ dataset: 'spirals', n: 64, seed: i });
      net.step(x, labels, { lr: 0.1 });
      net.free();
    }
    assert.ok(simd.heapInUse - start < 4096, `heap grew by ${simd.heapInUse - start}`);
  });
});
