// The population the widget samples its mini-batches from, and the exact core.sample options for
// one batch. The browser tests import this module too, so that they ask the core for the same
// numbers the widget shows.

/** Each channel's population mean and standard deviation, whatever the distribution. */
export const CHANNEL_MEANS = Object.freeze([3, -2]);
export const CHANNEL_STDS = Object.freeze([2, 0.5]);
export const CHANNELS = CHANNEL_MEANS.length;

// Each distribution's parameters for core.sample, with the mean and standard deviation of one
// draw (textbook moments of the distribution, not statistics of data). Dividing them out in the
// per-channel offset and scale gives every distribution the same channel means and stds, so the
// running statistics converge to the same values whichever shape the reader picks.
const LOGNORMAL_SIGMA = 0.6;
const BIMODAL = { separation: 3, std: 0.5 };
const STUDENT_DF = 4;

export const DISTRIBUTIONS = Object.freeze({
  normal: { label: 'Normal', params: { mean: 0, std: 1 }, mean: 0, std: 1 },
  lognormal: {
    label: 'Skewed (log-normal)',
    params: { mu: 0, sigma: LOGNORMAL_SIGMA },
    mean: Math.exp(LOGNORMAL_SIGMA ** 2 / 2),
    std: Math.sqrt((Math.exp(LOGNORMAL_SIGMA ** 2) - 1) * Math.exp(LOGNORMAL_SIGMA ** 2)),
  },
  bimodal: {
    label: 'Bimodal',
    params: { ...BIMODAL },
    mean: 0,
    std: Math.sqrt(BIMODAL.std ** 2 + (BIMODAL.separation / 2) ** 2),
  },
  'student-t': {
    label: 'Heavy-tailed (Student t, 4 d.f.)',
    params: { df: STUDENT_DF },
    mean: 0,
    std: Math.sqrt(STUDENT_DF / (STUDENT_DF - 2)),
  },
});

export const DEFAULTS = Object.freeze({
  norm: 'batch',
  distribution: 'normal',
  batchSize: 64,
  seed: 1,
  gamma: 1,
  beta: 0,
  eps: 1e-5,
  momentum: 0.1,
  mode: 'training',
});

export const LIMITS = Object.freeze({
  batchSize: { min: 2, max: 1024 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  gamma: { min: -3, max: 3, step: 0.1 },
  beta: { min: -3, max: 3, step: 0.1 },
  eps: { min: 0, max: 10 },
  momentum: { min: 0.01, max: 1, step: 0.01 },
});

/** The seed of the mini-batch drawn at training step `step` (step 0 is the first batch). */
export function batchSeed(seed, step) {
  return (seed + step) % (LIMITS.seed.max + 1);
}

/**
 * Options for core.sample giving the mini-batch of `batchSize` examples, row-major [n, c], at
 * training step `step` for the chosen seed and distribution.
 */
export function samplingOptions({ distribution, batchSize, seed, step = 0 }) {
  const d = DISTRIBUTIONS[distribution];
  if (!d) throw new RangeError(`samplingOptions: unknown distribution ${JSON.stringify(distribution)}`);
  return {
    distribution,
    n: batchSize,
    c: CHANNELS,
    s: 1,
    seed: batchSeed(seed, step),
    ...d.params,
    offset: CHANNEL_MEANS.map((m, ch) => m - (CHANNEL_STDS[ch] * d.mean) / d.std),
    scale: CHANNEL_STDS.map((s) => s / d.std),
  };
}
