// The widget's only caller of the normalisation core: sampling, the stages of the chosen norm, the
// statistics of any array on screen, batch norm's running-statistics update, and example #0 in
// both modes. Every number shown comes from here; the web code holds no second implementation of
// a norm.
import { samplingOptions, shapeOf } from './population.js';
import { describeSets } from './sets.js';

export const STAGES = Object.freeze(['raw', 'centred', 'scaled', 'shifted']);

/** The stages a norm goes through: RMS norm does not centre. */
export function stagesOf(norm) {
  return norm === 'rms' ? STAGES.filter((s) => s !== 'centred') : STAGES;
}

const filled = (length, value) => new Float32Array(length).fill(value);

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
 * @param {string} norm  batch | layer | instance | group | rms
 */
export function createEngine(core, norm) {
  const engine = norm === 'batch' ? batchEngine(core) : perExampleEngine(core, norm);
  return {
    norm,
    stages: stagesOf(norm),

    /** x for these parameters at step `step`, row-major in shapeOf(params). */
    sample(params, step) {
      return core.sample(samplingOptions({ ...params, norm, step }));
    },

    /** Per-set { mean, std, rms } arrays to fill with statsInto. */
    emptyStats(params) {
      const { count } = describeSets(norm, shapeOf({ ...params, norm }), params.groups);
      return {
        mean: new Float64Array(count),
        std: new Float64Array(count),
        rms: norm === 'rms' ? new Float64Array(count) : null,
      };
    },
    ...engine,
  };
}

// Batch norm on [n, c]: sets are channels; training mode uses the batch statistics, inference mode
// the running ones.
function batchEngine(core) {
  const scratch = new Scratch();
  const shapeFor = (params) => shapeOf({ ...params, norm: 'batch' });

  return {
    /**
     * The four stages of batch norm applied to x, each from a core call (the core echoes the
     * statistics it used as mean/var). "Centred" rescales x̂ by exactly the standard deviation
     * that was divided out, through the core's own gamma, so that no normalisation happens here.
     */
    computeStages(x, params, running) {
      const shape = shapeFor(params);
      const { c } = shape;
      const { eps } = params;
      const common = {
        eps,
        training: params.mode === 'training',
        runningMean: running.mean,
        runningVar: running.var,
      };
      const scaled = core.batchNorm(x, shape, {
        ...common,
        gamma: filled(c, 1),
        beta: filled(c, 0),
      });
      const sigma = scaled.var.map((v) => Math.sqrt(v + eps));
      const centred = core.batchNorm(x, shape, { ...common, gamma: sigma, beta: filled(c, 0) });
      const shifted = core.batchNorm(x, shape, {
        ...common,
        gamma: filled(c, params.gamma),
        beta: filled(c, params.beta),
      });
      return { raw: x, centred: centred.y, scaled: scaled.y, shifted: shifted.y };
    },

    /** One training step's update of the running statistics (PyTorch's convention, in the core). */
    train(x, params, running) {
      const r = core.batchNorm(x, shapeFor(params), {
        eps: params.eps,
        momentum: params.momentum,
        training: true,
        runningMean: running.mean,
        runningVar: running.var,
      });
      return { mean: r.mean, var: r.var, runningMean: r.runningMean, runningVar: r.runningVar };
    },

    /** Per-channel mean and standard deviation of `values` ([n, c]), written into `into`. */
    statsInto(values, params, into) {
      const { c } = shapeFor(params);
      const n = values.length / c;
      const out = scratch.get({ y: values.length, mean: c, var: c, runningMean: c, runningVar: c });
      core.batchNorm(values, { n, c, s: 1 }, { training: true, out });
      for (let ch = 0; ch < c; ch++) {
        into.mean[ch] = out.mean[ch];
        into.std[ch] = Math.sqrt(out.var[ch]);
      }
      return into;
    },

    /** Example #0 through the layer in both modes: y with the batch and with the running statistics. */
    example(x, params, running) {
      const shape = shapeFor(params);
      const { c } = shape;
      const affine = {
        gamma: filled(c, params.gamma),
        beta: filled(c, params.beta),
        eps: params.eps,
        runningMean: running.mean,
        runningVar: running.var,
      };
      const training = core.batchNorm(x, shape, { ...affine, training: true }).y;
      // Inference treats every example on its own, so example #0 alone gives the same answer.
      const inference = core.batchNorm(
        x.subarray(0, c),
        { n: 1, c, s: 1 },
        { ...affine, training: false },
      ).y;
      return {
        x: Array.from(x.subarray(0, c)),
        a: Array.from(training.subarray(0, c)),
        b: Array.from(inference),
      };
    },
  };
}

// Layer, instance, group and RMS norm on [n, c, s]: each example on its own, so there is nothing
// to keep between batches and training and inference compute the same thing.
function perExampleEngine(core, norm) {
  const scratch = new Scratch();
  const shapeFor = (params) => shapeOf({ ...params, norm });
  const op = {
    layer: (x, shape, params, options) => core.layerNorm(x, shape, options),
    instance: (x, shape, params, options) => core.instanceNorm(x, shape, options),
    group: (x, shape, params, options) =>
      core.groupNorm(x, shape, { ...options, groups: params.groups }),
    rms: (x, shape, params, options) => core.rmsNorm(x, shape, options),
  }[norm];
  // γ and β have one entry per channel (instance, group) or per element of an example (layer,
  // RMS); the widget's sliders set every entry to the same value. RMS norm has no β.
  const affine = ({ c, s }, gamma, beta) => {
    const length = norm === 'layer' || norm === 'rms' ? c * s : c;
    return norm === 'rms'
      ? { gamma: filled(length, gamma) }
      : { gamma: filled(length, gamma), beta: filled(length, beta) };
  };
  // The statistics of one array: mean and variance per set from the norm itself (RMS norm's sets
  // are layer norm's: whole examples), and RMS norm's rms with eps = 0.
  const statsOp =
    norm === 'rms' ? (x, shape, params, options) => core.layerNorm(x, shape, options) : op;

  return {
    /**
     * The stages applied to x, each from a core call. The sets of these norms are contiguous
     * blocks of [n, c, s] (describeSets), so instance norm over [1, sets, set length] has exactly
     * the same sets; with γ = each set's √(σ² + ε) it undoes the division and gives x − μ.
     */
    computeStages(x, params) {
      const shape = shapeFor(params);
      const { eps } = params;
      const scaled = op(x, shape, params, { ...affine(shape, 1, 0), eps });
      const shifted = op(x, shape, params, { ...affine(shape, params.gamma, params.beta), eps }).y;
      if (norm === 'rms') return { raw: x, centred: x, scaled: scaled.y, shifted };
      const sets = describeSets(norm, shape, params.groups);
      const sigma = scaled.var.map((v) => Math.sqrt(v + eps));
      const centred = core.instanceNorm(
        x,
        { n: 1, c: sets.count, s: sets.length },
        { gamma: sigma, beta: filled(sets.count, 0), eps },
      ).y;
      return { raw: x, centred, scaled: scaled.y, shifted };
    },

    /** Per-set mean, standard deviation (and rms, for RMS norm) of `values`, written into `into`. */
    statsInto(values, params, into) {
      const shape = shapeFor(params);
      const count = into.mean.length;
      const out = scratch.get({ y: values.length, mean: count, var: count, rms: shape.n });
      statsOp(values, shape, params, { out: { y: out.y, mean: out.mean, var: out.var } });
      for (let k = 0; k < count; k++) {
        into.mean[k] = out.mean[k];
        into.std[k] = Math.sqrt(out.var[k]);
      }
      if (into.rms) {
        core.rmsNorm(values, shape, { eps: 0, out: { y: out.y, rms: out.rms } });
        for (let k = 0; k < count; k++) into.rms[k] = out.rms[k];
      }
      return into;
    },

    /** Example #0's output within this batch and on its own (a batch of one): the same numbers. */
    example(x, params) {
      const shape = shapeFor(params);
      const { c, s } = shape;
      const options = { ...affine(shape, params.gamma, params.beta), eps: params.eps };
      const inBatch = op(x, shape, params, options).y;
      const alone = op(x.subarray(0, c * s), { n: 1, c, s }, params, options).y;
      // One row per channel: its first position.
      const pick = (values) => Array.from({ length: c }, (_, ch) => values[ch * s]);
      let largest = 0;
      for (let i = 0; i < c * s; i++) largest = Math.max(largest, Math.abs(inBatch[i] - alone[i]));
      return { x: pick(x), a: pick(inBatch), b: pick(alone), largestDifference: largest };
    },
  };
}
