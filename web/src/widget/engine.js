// The widget's only caller of the normalisation core: sampling, the four stages, the statistics of
// any array on screen and the running-statistics update. Every number shown comes from here; the
// web code holds no second implementation of a norm.
import { CHANNELS, samplingOptions } from './population.js';

export const STAGES = Object.freeze(['raw', 'centred', 'scaled', 'shifted']);

const filled = (value) => new Float32Array(CHANNELS).fill(value);
const shape = (n) => ({ n, c: CHANNELS, s: 1 });

/** Caller-owned output arrays for core.batchNorm on n examples, so per-frame calls allocate nothing. */
function batchNormOut(n) {
  return {
    y: new Float32Array(n * CHANNELS),
    mean: new Float32Array(CHANNELS),
    var: new Float32Array(CHANNELS),
    runningMean: new Float32Array(CHANNELS),
    runningVar: new Float32Array(CHANNELS),
  };
}

/**
 * @param {object} core  the object loadNormCore() resolves to
 */
export function createEngine(core) {
  const ones = filled(1);
  const zeros = filled(0);
  let scratch = batchNormOut(2);

  // The per-channel mean and (biased) variance of `values` as the core's batch norm takes them.
  function moments(values, n) {
    if (scratch.y.length !== n * CHANNELS) scratch = batchNormOut(n);
    core.batchNorm(values, shape(n), { training: true, out: scratch });
    return scratch;
  }

  return {
    /** The mini-batch for these parameters at training step `step`: Float32Array [n, c]. */
    sample({ distribution, batchSize, seed, step }) {
      return core.sample(samplingOptions({ distribution, batchSize, seed, step }));
    },

    /**
     * The four stages of batch norm applied to x, each from a core call. Training mode uses the
     * batch statistics; inference mode uses the running ones (the core echoes whichever it used
     * as mean/var). "Centred" rescales x̂ by exactly the standard deviation that was divided out,
     * through the core's own gamma, so that no normalisation happens in JavaScript.
     */
    stages(x, n, { gamma, beta, eps, mode, runningMean, runningVar }) {
      const common = { eps, training: mode === 'training', runningMean, runningVar };
      const scaled = core.batchNorm(x, shape(n), { ...common, gamma: ones, beta: zeros });
      const sigma = scaled.var.map((v) => Math.sqrt(v + eps));
      const centred = core.batchNorm(x, shape(n), { ...common, gamma: sigma, beta: zeros });
      const shifted = core.batchNorm(x, shape(n), { ...common, gamma: filled(gamma), beta: filled(beta) });
      return {
        arrays: { raw: x, centred: centred.y, scaled: scaled.y, shifted: shifted.y },
        usedMean: scaled.mean,
        usedVar: scaled.var,
      };
    },

    /**
     * One training step's update of the running statistics (PyTorch's convention, in the core).
     * Returns the batch statistics and the new running statistics.
     */
    train(x, n, { eps, momentum, runningMean, runningVar }) {
      const r = core.batchNorm(x, shape(n), { eps, momentum, training: true, runningMean, runningVar });
      return { mean: r.mean, var: r.var, runningMean: r.runningMean, runningVar: r.runningVar };
    },

    /** Per-channel mean and standard deviation of `values` ([n, c]), written into `into`. */
    statsInto(values, n, into) {
      const m = moments(values, n);
      for (let ch = 0; ch < CHANNELS; ch++) {
        into.mean[ch] = m.mean[ch];
        into.std[ch] = Math.sqrt(m.var[ch]);
      }
      return into;
    },

    /** Example #0 of the batch through the layer in both modes: y with batch and with running statistics. */
    example(x, n, { gamma, beta, eps, runningMean, runningVar }) {
      const affine = { gamma: filled(gamma), beta: filled(beta), eps, runningMean, runningVar };
      const training = core.batchNorm(x, shape(n), { ...affine, training: true }).y;
      // Inference treats every example on its own, so example #0 alone gives the same answer.
      const inference = core.batchNorm(x.subarray(0, CHANNELS), shape(1), { ...affine, training: false }).y;
      return {
        x: Array.from(x.subarray(0, CHANNELS)),
        yTraining: Array.from(training.subarray(0, CHANNELS)),
        yInference: Array.from(inference),
      };
    },
  };
}

/** A fresh { mean, std } pair of per-channel arrays for statsInto. */
export function emptyStats() {
  return { mean: new Float64Array(CHANNELS), std: new Float64Array(CHANNELS) };
}
