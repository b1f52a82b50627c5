// The widget's only caller of the normalisation core: sampling, the stages of the chosen norm, the
// statistics of every stage, the running-statistics update of a norm that keeps them, and example
// 1 through the layer two ways. Every number shown comes from here; the web code holds no second
// implementation of a norm, and the drawing code calls none of this (it draws the kept results).
import { CORE_STAGE, affineLength, normOf, runForward } from '../norms.js';
import { samplingOptions, shapeOf } from './population.js';
import { describeSets } from './sets.js';

/** Caller-owned outputs for a core call, re-made only when a length changes. */
class Scratch {
  #arrays = {};

  get(lengths) {
    const a = this.#arrays;
    for (const [key, length] of Object.entries(lengths)) {
      if (a[key]?.length !== length) a[key] = new Float32Array(length);
    }
    return a;
  }
}

/**
 * @param {object} core  the object loadNormCore() resolves to
 * @param {string} norm  an id of norms.js
 */
export function createEngine(core, norm) {
  const description = normOf(norm);
  const scratch = new Scratch();
  const shapeFor = (params) => shapeOf({ ...params, norm });

  // γ_c or β_c (one per channel) as the core takes it: per channel, or for a norm whose affine
  // parameters are [c*s] (layer, RMS), each channel's value at every one of its positions.
  const affine = (perChannel, shape) => {
    const length = affineLength(norm, shape);
    const repeat = length / shape.c;
    const out = new Float32Array(length);
    for (let ch = 0; ch < shape.c; ch++) out.fill(perChannel[ch], ch * repeat, (ch + 1) * repeat);
    return out;
  };
  // The core's options for this norm: γ_c and β_c, ε, and for a norm with running statistics the
  // mode and the running statistics to use.
  const options = (params, shape, running) => {
    const o = {
      gamma: affine(params.gamma, shape),
      beta: affine(params.beta, shape),
      eps: params.eps,
    };
    if (description.runningStats) {
      o.training = params.mode === 'training';
      o.runningMean = running.mean;
      o.runningVar = running.var;
    }
    return o;
  };
  const forward = (x, shape, params, o) => runForward(core, norm, x, shape, o, params.groups);

  return {
    norm,
    description,
    coreDefaults: core.defaults,
    stages: description.stages.map((s) => s.id),

    /** x for these parameters at step `step`, row-major in shapeOf(params). */
    sample(params, step) {
      return core.sample(samplingOptions({ ...params, norm, step }));
    },

    /** Per-set { mean, std, rms } arrays to fill with statsInto. */
    emptyStats(params) {
      const { count } = describeSets(norm, shapeFor(params), params.groups);
      return {
        mean: new Float64Array(count),
        std: new Float64Array(count),
        rms: description.spread === 'rms' ? new Float64Array(count) : null,
      };
    },

    /**
     * Every stage of the norm applied to x, each straight from the core (its `stage` option), with
     * the statistics the core used: in inference mode batch norm echoes the running ones.
     */
    computeStages(x, params, running) {
      const shape = shapeFor(params);
      const o = options(params, shape, running);
      const result = {};
      for (const { id } of description.stages) {
        result[id] =
          CORE_STAGE[id] === null
            ? x
            : forward(x, shape, params, { ...o, stage: CORE_STAGE[id] }).y;
      }
      return result;
    },

    /** One training step's update of the running statistics (PyTorch's convention, in the core). */
    train(x, params, running) {
      const r = forward(x, shapeFor(params), params, {
        eps: params.eps,
        momentum: params.momentum,
        training: true,
        runningMean: running.mean,
        runningVar: running.var,
      });
      return { mean: r.mean, var: r.var, runningMean: r.runningMean, runningVar: r.runningVar };
    },

    /**
     * Per-set mean, standard deviation (and rms for a norm that divides by it) of `values`,
     * written into `into`. A set is a run of x (sets.js): runs of stride 1 are rows of
     * [1, count, length] for instance norm; runs across the batch are the columns of [length,
     * count] for batch norm. Either way the core's statistics of exactly those values.
     */
    statsInto(values, params, into) {
      const sets = describeSets(norm, shapeFor(params), params.groups);
      const { count, length } = sets;
      const out = scratch.get({ y: values.length, mean: count, var: count, rms: count });
      const rows = { n: 1, c: count, s: length };
      if (sets.stride === 1) {
        core.instanceNorm(values, rows, { out: { y: out.y, mean: out.mean, var: out.var } });
      } else {
        const columns = { n: length, c: count, s: 1 };
        core.batchNorm(values, columns, { out: { y: out.y, mean: out.mean, var: out.var } });
      }
      for (let k = 0; k < count; k++) {
        into.mean[k] = out.mean[k];
        into.std[k] = Math.sqrt(out.var[k]);
      }
      if (into.rms) {
        // RMS with ε = 0 over each set: the sets of such norms are rows.
        core.rmsNorm(
          values,
          { n: count, c: 1, s: length },
          { eps: 0, out: { y: out.y, rms: out.rms } },
        );
        for (let k = 0; k < count; k++) into.rms[k] = out.rms[k];
      }
      return into;
    },

    /**
     * Example 1 through the layer two ways, one row per channel (its first position). A norm with
     * running statistics: y with this batch's statistics (training) and with the running ones
     * (inference). A per-example norm: y within this batch and on its own (a batch of one), the
     * same numbers, with the largest difference over all its outputs.
     */
    example(x, params, running) {
      const shape = shapeFor(params);
      const { c, s } = shape;
      const o = options(params, shape, running);
      const one = { n: 1, c, s };
      const first = x.subarray(0, c * s);
      let a;
      let b;
      if (description.runningStats) {
        a = forward(x, shape, params, { ...o, training: true }).y;
        // Inference treats every example on its own, so example 1 alone gives the same answer.
        b = forward(first, one, params, { ...o, training: false }).y;
      } else {
        a = forward(x, shape, params, o).y;
        b = forward(first, one, params, o).y;
      }
      const pick = (values) => Array.from({ length: c }, (_, ch) => values[ch * s]);
      let largest = 0;
      for (let i = 0; i < c * s; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
      return { x: pick(x), a: pick(a), b: pick(b), largestDifference: largest };
    },
  };
}
