// "Copy as PyTorch": the snippet the widget offers for each norm and mode, read back as PyTorch
// would read it. Its batch must be the figure's, bit for bit; its stated outputs must be what the
// core computes; and the layer it builds (module, ε, momentum, γ, β, mode, running statistics),
// evaluated with PyTorch's definitions in float64, must give those outputs within 1e-4.
// PyTorch itself cannot be installed here (PyPI is unreachable), so it is not run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadNormCore } from '../../web/src/core/index.js';
import { runForward } from '../../web/src/norms.js';
import { createEngine } from '../../web/src/widget/engine.js';
import { snippetOf } from '../../web/src/widget/pytorch-panel.js';
import { WidgetState } from '../../web/src/widget/state.js';
import { pytorchSnippet } from '../../web/src/pytorch-snippet.js';
import {
  batchNormRef,
  groupNormRef,
  instanceNormRef,
  layerNormRef,
  rmsNormRef,
} from './support/reference.mjs';

const core = await loadNormCore();

const CASES = [
  { norm: 'batch', mode: 'training', initial: { batchSize: 16, seed: 3, gamma: 1.5, beta: -0.5 } },
  { norm: 'batch', mode: 'inference', initial: { batchSize: 16, seed: 3, gamma: 0.7, beta: 0.2 } },
  { norm: 'layer', mode: 'training', initial: { batchSize: 3, gamma: 1.2, beta: 0.3 } },
  { norm: 'instance', mode: 'training', initial: { batchSize: 2, distribution: 'lognormal' } },
  { norm: 'group', mode: 'training', initial: { batchSize: 2, channels: 6, groups: 3, beta: 1 } },
  { norm: 'rms', mode: 'training', initial: { batchSize: 4, gamma: 2, eps: 0.01 } },
];

// --- Reading the snippet back ---
const NUMBER = String.raw`-?\d+(?:\.\d+)?(?:e[-+]?\d+)?`;
const numbers = (text) => text.split(',').map((v) => Number(v.trim()));

function tensorAfter(source, name) {
  const m = new RegExp(
    String.raw`^${name} = torch\.tensor\(\[([^\]]*)\], dtype=torch\.float32\)\.reshape\(([\d, ]+)\)$`,
    'm',
  ).exec(source);
  assert.ok(m, `no ${name} tensor in the snippet`);
  return { values: numbers(m[1]), dims: numbers(m[2]) };
}

function vectorAfter(source, prefix) {
  const escaped = prefix.replace(/[.()_]/g, (ch) => `\\${ch}`);
  const m = new RegExp(String.raw`${escaped}torch\.tensor\(\[([^\]]*)\]\)`).exec(source);
  return m ? numbers(m[1]) : null;
}

function readSnippet(source) {
  const module = /^layer = nn\.(\w+)\((.*)\)$/m.exec(source);
  assert.ok(module, 'no module line');
  const args = module[2];
  const keyword = (name) => {
    const m = new RegExp(String.raw`${name}=(${NUMBER})`).exec(args);
    return m ? Number(m[1]) : undefined;
  };
  // One value per channel (LayerNorm and RMSNorm expand them over the positions).
  const perChannel = (what) => {
    const m = new RegExp(String.raw`layer\.${what}\.copy_\(torch\.tensor\(\[([^\]]*)\]\)`).exec(
      source,
    );
    return m ? numbers(m[1]) : undefined;
  };
  return {
    kind: module[1],
    positional: args
      .split(',')
      .map((a) => a.trim())
      .filter((a) => /^\d+$/.test(a))
      .map(Number),
    eps: keyword('eps'),
    momentum: keyword('momentum'),
    gamma: perChannel('weight'),
    beta: perChannel('bias'),
    training: /^layer\.train\(\)$/m.test(source),
    inference: /^layer\.eval\(\)/m.test(source),
    x: tensorAfter(source, 'x'),
    y: tensorAfter(source, 'expected_y'),
    runningMean: vectorAfter(source, 'layer.running_mean.copy_('),
    runningVar: vectorAfter(source, 'layer.running_var.copy_('),
    expectedRunningMean: vectorAfter(source, 'expected_running_mean = '),
    expectedRunningVar: vectorAfter(source, 'expected_running_var = '),
  };
}

// PyTorch's definition of the layer the snippet builds, in float64.
function pytorchReference(s) {
  const [n, c, sp = 1] = s.x.dims;
  const d = { n, c, s: sp };
  const x = Float64Array.from(s.x.values, Math.fround);
  // Each channel's γ and β at each of its `repeat` positions.
  const expand = (values, repeat) => values.flatMap((v) => new Array(repeat).fill(v));
  const affine = (length) => ({
    gamma: expand(s.gamma, length / c),
    beta: expand(s.beta ?? new Array(c).fill(0), length / c),
  });
  switch (s.kind) {
    case 'BatchNorm1d':
      return batchNormRef(x, d, {
        ...affine(c),
        eps: s.eps,
        momentum: s.momentum,
        training: s.training,
        runningMean: s.runningMean,
        runningVar: s.runningVar,
      });
    case 'LayerNorm':
      return layerNormRef(x, d, { ...affine(c * sp), eps: s.eps });
    case 'InstanceNorm1d':
      return instanceNormRef(x, d, { ...affine(c), eps: s.eps });
    case 'GroupNorm':
      return groupNormRef(x, d, { ...affine(c), eps: s.eps, groups: s.positional[0] });
    case 'RMSNorm':
      return rmsNormRef(x, d, { gamma: affine(c * sp).gamma, eps: s.eps });
    default:
      throw new Error(`unexpected module nn.${s.kind}`);
  }
}

const MODULES = {
  batch: 'BatchNorm1d',
  layer: 'LayerNorm',
  instance: 'InstanceNorm1d',
  group: 'GroupNorm',
  rms: 'RMSNorm',
};

function worst(actual, expected) {
  let largest = 0;
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]));
    largest = Math.max(largest, Math.abs(actual[i] - expected[i]) / scale);
  }
  return largest;
}

describe('Copy as PyTorch', () => {
  for (const { norm, mode, initial } of CASES) {
    it(`${norm} norm, ${mode}: the snippet holds the figure's batch and the core's outputs`, () => {
      const state = new WidgetState(createEngine(core, norm), initial);
      // Two training steps first, so the running statistics are not PyTorch's starting values.
      state.tick();
      state.tick();
      state.set({ mode });
      // A γ and β of each channel's own.
      state.set({
        gamma: state.params.gamma.map((g, k) => g + 0.25 * k),
        beta: state.params.beta.map((b, k) => b - 0.5 * k),
      });
      const source = snippetOf(state);
      const s = readSnippet(source);

      assert.equal(s.kind, MODULES[norm]);
      assert.equal(s.eps, Number(state.params.eps.toPrecision(9)));
      assert.deepEqual(s.gamma, state.params.gamma);
      if (norm === 'rms') assert.equal(s.beta, undefined, 'RMSNorm has no bias');
      else assert.deepEqual(s.beta, state.params.beta);
      if (norm === 'group') assert.deepEqual(s.positional, [state.params.groups, 6]);
      assert.equal(s.training, mode === 'training');
      assert.equal(s.inference, mode === 'inference');

      // The batch, bit for bit.
      assert.equal(s.x.values.length, state.x.length);
      s.x.values.forEach((v, i) => assert.equal(Math.fround(v), state.x[i], `x[${i}]`));

      // The stated outputs are the core's, for the layer as configured.
      const { shape, params } = state;
      const repeat = norm === 'layer' || norm === 'rms' ? shape.s : 1;
      const spread = (values) =>
        Float32Array.from(values.flatMap((v) => new Array(repeat).fill(v)));
      const o = { gamma: spread(params.gamma), beta: spread(params.beta), eps: params.eps };
      if (norm === 'batch') {
        Object.assign(o, {
          training: mode === 'training',
          momentum: params.momentum,
          runningMean: state.running.mean,
          runningVar: state.running.var,
        });
      }
      const ours = runForward(core, norm, state.x, shape, o, params.groups);
      assert.ok(
        worst(s.y.values, ours.y) < 1e-6,
        `expected_y against the core: ${worst(s.y.values, ours.y)}`,
      );

      // PyTorch's definition of that layer, in float64, agrees within 1e-4.
      const reference = pytorchReference(s);
      const yError = worst(s.y.values, reference.y);
      assert.ok(yError < 1e-4, `expected_y against PyTorch's definition: ${yError}`);
      if (norm === 'batch') {
        assert.deepEqual(s.runningMean.map(Math.fround), Array.from(state.running.mean));
        if (mode === 'training') {
          assert.ok(worst(s.expectedRunningMean, reference.runningMean) < 1e-4);
          assert.ok(worst(s.expectedRunningVar, reference.runningVar) < 1e-4);
        } else {
          assert.equal(s.expectedRunningMean, null, 'no running update in eval()');
        }
      }
    });
  }

  it('refuses a norm it does not know, naming it', () => {
    assert.throws(
      () =>
        pytorchSnippet({
          norm: 'weight',
          shape: { n: 1, c: 1, s: 1 },
          params: {},
          step: 0,
          x: [],
          y: [],
        }),
      /weight/,
    );
  });
});
