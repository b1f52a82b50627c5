// The loader's own checks and defaults for networks and toy data (web/src/core/network.js): each
// refusal names the function, the argument, the value and what was expected, and each default is
// the one DESIGN.md gives (seen through a result that depends on it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { simd as core } from './support/cores.mjs';

const refuses = (call, name, message) => assert.throws(call, { name, message });

const sameBytes = (a, b) =>
  a.length === b.length && a.every((array, k) => array.every((v, i) => Object.is(v, b[k][i])));

describe('createNetwork', () => {
  it('names each bad option', () => {
    const make = (options) => () => core.createNetwork(options);
    refuses(make(null), 'TypeError', 'createNetwork: options is null, expected an object');
    refuses(
      make({ classes: 2 }),
      'TypeError',
      'createNetwork: hidden is undefined, expected an array of layer widths, e.g. [32, 32]',
    );
    refuses(
      make({ hidden: [4, '8'], classes: 2 }),
      'TypeError',
      'createNetwork: hidden[1] is a string ("8"), expected a whole number',
    );
    refuses(
      make({ hidden: [4] }),
      'TypeError',
      'createNetwork: classes is undefined, expected a whole number >= 2',
    );
    refuses(
      make({ hidden: [4], classes: 2, norm: 'batchy' }),
      'RangeError',
      'createNetwork: norm is a string ("\\"batchy\\""), expected one of "none", "batch", "layer", "group", "rms"',
    );
    refuses(
      make({ hidden: [4], classes: 2, norm: 3 }),
      'TypeError',
      'createNetwork: norm is a string ("3"), expected one of "none", "batch", "layer", "group", "rms"',
    );
    refuses(
      make({ hidden: [4], classes: 2, eps: -1 }),
      'RangeError',
      'createNetwork: eps is -1, expected a finite number >= 0',
    );
    refuses(
      make({ hidden: [4], classes: 2, eps: NaN }),
      'RangeError',
      'createNetwork: eps is NaN, expected a finite number >= 0',
    );
    refuses(
      make({ hidden: [4], classes: 2, seed: -3 }),
      'RangeError',
      'createNetwork: seed is -3, expected a whole number >= 0',
    );
    refuses(
      make({ hidden: [4], classes: 2, initScale: '2' }),
      'TypeError',
      'createNetwork: initScale is a string ("2"), expected a number',
    );
  });

  it('names each option that is not a number', () => {
    const base = { hidden: [4], classes: 2 };
    for (const key of ['inputs', 'classes', 'groups', 'seed']) {
      assert.throws(() => core.createNetwork({ ...base, [key]: '2' }), {
        name: 'TypeError',
        message: `createNetwork: ${key} is a string ("2"), expected a whole number`,
      });
    }
    for (const key of ['eps', 'momentum']) {
      assert.throws(() => core.createNetwork({ ...base, [key]: '0' }), {
        name: 'TypeError',
        message: `createNetwork: ${key} is a string ("0"), expected a number`,
      });
    }
  });

  it('accepts eps 0 and seed 0', () => {
    core.createNetwork({ hidden: [4], classes: 2, norm: 'layer', eps: 0, seed: 0 }).free();
  });

  it('defaults to 2 inputs, no norm, 8 groups, seed 1, initScale 1 and the core momentum', () => {
    const plain = core.createNetwork({ hidden: [16], classes: 3 });
    const spelt = core.createNetwork({
      hidden: [16],
      classes: 3,
      inputs: 2,
      norm: 'none',
      seed: 1,
      initScale: 1,
    });
    assert.equal(plain.inputs, 2);
    assert.equal(plain.classes, 3);
    assert.ok(sameBytes(plain.parameters(), spelt.parameters()));
    const scaled = core.createNetwork({ hidden: [16], classes: 3, initScale: 2 });
    assert.ok(!sameBytes(plain.parameters(), scaled.parameters()), 'initScale matters');
    // 16 channels: 8 groups is allowed, while 8 groups of 12 channels is not.
    core.createNetwork({ hidden: [16], classes: 3, norm: 'group' }).free();
    assert.throws(() => core.createNetwork({ hidden: [12], classes: 3, norm: 'group' }), {
      message: 'createNetwork: groups is 8, expected a divisor of hidden[0] = 12',
    });
    for (const net of [plain, spelt, scaled]) net.free();
  });

  it("steps batch norm's running statistics with the core's default momentum", () => {
    const { x, labels } = core.toyData({ dataset: 'rings', n: 32, seed: 2 });
    const run = (momentum) => {
      const net = core.createNetwork({ hidden: [8], classes: 2, norm: 'batch', momentum });
      net.step(x, labels, { lr: 0.1 });
      const stats = net.runningStatistics();
      net.free();
      return stats;
    };
    assert.deepEqual(run(undefined), run(core.defaults.momentum));
    assert.notDeepEqual(run(undefined), run(0.5));
  });
});

describe('a network', () => {
  const { x, labels } = core.toyData({ dataset: 'moons', n: 24, seed: 4 });

  it('names bad options for step, evaluate and probe', () => {
    const net = core.createNetwork({ hidden: [4], classes: 2 });
    refuses(
      () => net.step(x, labels, 1),
      'TypeError',
      'network.step: options is 1, expected an object',
    );
    refuses(
      () => net.step(x, labels, { lr: '0.1' }),
      'TypeError',
      'network.step: lr is a string ("0.1"), expected a number',
    );
    refuses(
      () => net.step(x, labels, { lr: 0.1, momentum: true }),
      'TypeError',
      'network.step: momentum is a boolean, expected a number',
    );
    refuses(
      () => net.evaluate(x, labels, { batchStatistics: 1 }),
      'TypeError',
      'network.evaluate: batchStatistics is 1, expected true or false',
    );
    refuses(
      () => net.step(undefined, labels, { lr: 0.1 }),
      'TypeError',
      'network.step: x is undefined, expected a Float32Array or an array of numbers',
    );
    refuses(
      () => net.step(x, undefined, { lr: 0.1 }),
      'TypeError',
      'network.step: labels is undefined, expected a Float32Array or an array of numbers',
    );
    refuses(
      () => net.evaluate(x, labels, 'fast'),
      'TypeError',
      'network.evaluate: options is a string ("fast"), expected an object',
    );
    refuses(
      () => net.probe(x, labels, null),
      'TypeError',
      'network.probe: options is null, expected an object',
    );
    refuses(
      () => net.probe(x, labels, { lr: 0.1, scales: 'wide' }),
      'TypeError',
      'network.probe: scales is a string ("wide"), expected a Float32Array or an array of numbers',
    );
    refuses(
      () => net.predict(undefined),
      'TypeError',
      'network.predict: x is undefined, expected a Float32Array or an array of numbers',
    );
    refuses(
      () => net.probe(x, labels, {}),
      'TypeError',
      'network.probe: lr is undefined, expected a number',
    );
    refuses(
      () => net.predict(new Float32Array(0)),
      'RangeError',
      'network.predict: x has 0 values, expected a positive multiple of inputs = 2',
    );
    refuses(
      () => net.predict(x, new Float32Array(3)),
      'RangeError',
      'network.predict: out has 3 values, expected n*classes = 48',
    );
    net.free();
  });

  it('steps without momentum by default, and evaluates with the running statistics', () => {
    const make = () => core.createNetwork({ hidden: [8], classes: 2, norm: 'batch', seed: 3 });
    const a = make(),
      b = make();
    a.step(x, labels, { lr: 0.2 });
    a.step(x, labels, { lr: 0.2 });
    b.step(x, labels, { lr: 0.2, momentum: 0 });
    b.step(x, labels, { lr: 0.2, momentum: 0 });
    assert.ok(sameBytes(a.parameters(), b.parameters()));
    assert.deepEqual(a.evaluate(x, labels), a.evaluate(x, labels, { batchStatistics: false }));
    assert.notDeepEqual(a.evaluate(x, labels), a.evaluate(x, labels, { batchStatistics: true }));
    a.free();
    b.free();
  });

  it('predicts n*classes values, into out when given', () => {
    const net = core.createNetwork({ hidden: [8], classes: 2, seed: 5 });
    const fresh = net.predict(x);
    assert.equal(fresh.length, 48);
    const out = new Float32Array(48);
    assert.equal(net.predict(x, out), out);
    assert.deepEqual(out, fresh);
    net.free();
  });

  it('probes at the default step sizes 0.25, 0.5, 1, 2, 4 times lr, or at those given', () => {
    const net = core.createNetwork({ hidden: [8], classes: 2, seed: 6 });
    const probe = net.probe(x, labels, { lr: 0.1 });
    assert.deepEqual(Array.from(probe.scales), [0.25, 0.5, 1, 2, 4]);
    assert.equal(probe.losses.length, 5);
    assert.equal(probe.gradientChanges.length, 5);
    assert.ok(probe.gradientChanges.every((v) => v > 0));
    const given = net.probe(x, labels, { lr: 0.1, scales: [1, 4] });
    assert.deepEqual(Array.from(given.scales), [1, 4]);
    assert.deepEqual(Array.from(given.losses), [probe.losses[2], probe.losses[4]]);
    net.free();
  });

  it('gives its parameters, gradients, activations and running statistics per layer', () => {
    const net = core.createNetwork({ hidden: [8, 6], classes: 3, norm: 'batch', seed: 7 });
    const shapes = net.parameters().map((p) => p.length);
    assert.deepEqual(
      net.gradients().map((g) => g.length),
      shapes,
    );
    net.step(x, labels, { lr: 0.1 });
    const layers = net.activations();
    assert.deepEqual(
      layers.map((l) => [l.width, l.preNorm.length, l.postNorm.length]),
      [
        [8, 8 * 24, 8 * 24],
        [6, 6 * 24, 6 * 24],
      ],
    );
    // After batch norm with gamma 1 and beta 0, each unit has mean 0 over the batch.
    const mean = (l, j) => {
      let sum = 0;
      for (let i = 0; i < 24; i++) sum += layers[l].postNorm[i * layers[l].width + j];
      return sum / 24;
    };
    assert.ok(Math.abs(mean(0, 3)) < 1e-4 && Math.abs(mean(1, 5)) < 1e-4);
    assert.notDeepEqual(layers[0].preNorm.subarray(0, 8), layers[0].postNorm.subarray(0, 8));
    assert.deepEqual(
      net.runningStatistics().map((r) => [r.mean.length, r.var.length]),
      [
        [8, 8],
        [6, 6],
      ],
    );
    assert.ok(net.gradients().some((g) => g.some((v) => v !== 0)));
    net.free();
  });

  it('gives the gradient of the last step: plain SGD moved each parameter by lr times it', () => {
    const net = core.createNetwork({ hidden: [8], classes: 2, norm: 'layer', seed: 8 });
    const before = net.parameters();
    net.step(x, labels, { lr: 0.5 });
    const after = net.parameters();
    const gradients = net.gradients();
    assert.equal(gradients.length, before.length);
    gradients.forEach((g, k) => {
      assert.equal(g.length, before[k].length);
      for (let i = 0; i < g.length; i++) {
        const moved = (before[k][i] - after[k][i]) / 0.5;
        assert.ok(Math.abs(moved - g[i]) <= 1e-5 + 1e-3 * Math.abs(g[i]), `parameter ${k}[${i}]`);
      }
    });
    net.free();
  });

  it('names setParameters arguments that do not fit', () => {
    const net = core.createNetwork({ hidden: [4], classes: 2 });
    const params = net.parameters();
    refuses(
      () => net.setParameters(params.slice(1)),
      'TypeError',
      `network.setParameters: arrays is an array of 3, expected an array of 4 arrays, in parameters() order`,
    );
    refuses(
      () => net.setParameters('w'),
      'TypeError',
      `network.setParameters: arrays is a string ("w"), expected an array of 4 arrays, in parameters() order`,
    );
    refuses(
      () => net.setParameters([params[0], null, params[2], params[3]]),
      'TypeError',
      'network.setParameters: arrays[1] is null, expected a Float32Array or an array of numbers',
    );
    const wrong = [...params];
    wrong[2] = new Float32Array(5);
    refuses(
      () => net.setParameters(wrong),
      'RangeError',
      `network.setParameters: arrays[2] has 5 values, expected ${params[2].length}`,
    );
    const changed = params.map((p) => p.map((v, i) => v + i));
    net.setParameters(changed);
    assert.deepEqual(net.parameters(), changed);
    net.free();
  });

  it('refuses every method once freed, naming it; freeing twice does nothing', () => {
    const net = core.createNetwork({ hidden: [4], classes: 2 });
    net.free();
    net.free();
    const freed = (fn) => ({
      name: 'TypeError',
      message: `network.${fn}: the network has been freed`,
    });
    assert.throws(() => net.evaluate(x, labels), freed('evaluate'));
    assert.throws(() => net.predict(x), freed('predict'));
    assert.throws(() => net.probe(x, labels, { lr: 1 }), freed('probe'));
    assert.throws(() => net.parameters(), freed('parameters'));
    assert.throws(() => net.gradients(), freed('gradients'));
    assert.throws(() => net.setParameters([]), freed('setParameters'));
    assert.throws(() => net.activations(), freed('activations'));
    assert.throws(() => net.runningStatistics(), freed('runningStatistics'));
  });

  it('is freed by Symbol.dispose', () => {
    const live = core.heapInUse;
    const net = core.createNetwork({ hidden: [4], classes: 2 });
    net[Symbol.dispose]();
    assert.throws(() => net.parameters(), /freed/);
    assert.equal(core.heapInUse, live);
  });
});

describe('toyData', () => {
  it('names each bad option', () => {
    refuses(
      () => core.toyData({ n: 4 }),
      'TypeError',
      'toyData: dataset is undefined, expected one of spirals, rings, moons, xor',
    );
    refuses(
      () => core.toyData({ dataset: 'circles', n: 4 }),
      'RangeError',
      'toyData: dataset is a string ("\\"circles\\""), expected one of "spirals", "rings", "moons", "xor"',
    );
    refuses(() => core.toyData(7), 'TypeError', 'toyData: options is 7, expected an object');
    refuses(
      () => core.toyData({ dataset: 'xor', n: '4' }),
      'TypeError',
      'toyData: n is a string ("4"), expected a whole number',
    );
    refuses(
      () => core.toyData({ dataset: 'xor', n: 4, seed: 0.5 }),
      'RangeError',
      'toyData: seed is 0.5, expected a whole number',
    );
    refuses(
      () => core.toyData({ dataset: 'xor', n: 4, seed: -1 }),
      'RangeError',
      'toyData: seed is -1, expected a whole number >= 0',
    );
    refuses(
      () => core.toyData({ dataset: 'xor', n: 4, unnormalised: 1 }),
      'TypeError',
      'toyData: unnormalised is 1, expected true or false',
    );
    refuses(
      () => core.toyData({ dataset: 'xor', n: 4, noise: '0' }),
      'TypeError',
      'toyData: noise is a string ("0"), expected a number',
    );
  });

  it('leaves a size beyond the largest set to the core, which names it', () => {
    assert.throws(() => core.toyData({ dataset: 'xor', n: 2 ** 22 + 1 }), {
      name: 'RangeError',
      message: 'toyData: n is 4194305, expected a whole number in [1, 4194304]',
    });
    // Far beyond: still the core's message, not a failure to reserve room for the result.
    assert.throws(() => core.toyData({ dataset: 'xor', n: 2 ** 40 }), {
      message: 'toyData: n is 1099511627776, expected a whole number in [1, 4194304]',
    });
    const one = core.toyData({ dataset: 'xor', n: 1, seed: 9 });
    assert.equal(one.x.length, 2);
    assert.deepEqual(one, core.toyData({ dataset: 'xor', n: 1, seed: 9 }));
  });

  it('defaults to seed 0, noise 0.1 and normalised features', () => {
    const plain = core.toyData({ dataset: 'spirals', n: 40 });
    const spelt = core.toyData({
      dataset: 'spirals',
      n: 40,
      seed: 0,
      noise: 0.1,
      unnormalised: false,
    });
    assert.deepEqual(plain, spelt);
    assert.notDeepEqual(plain.x, core.toyData({ dataset: 'spirals', n: 40, noise: 0.3 }).x);
    assert.equal(plain.x.length, 80);
    assert.ok(plain.labels instanceof Int32Array && plain.labels.length === 40);
  });
});
