// The population the widget samples its data from, the data's shape for each norm, and the exact
// core.sample options for one batch. The browser tests import this module too, so that they ask
// the core for the same numbers the widget shows.
//
// Norms whose statistics cross examples (batch norm): x is [n, c] (s = 1): `batchSize` examples of
// `channels` features, one population per channel. Per-example norms (norms.js `perExample`): x
// is [n, c, SPATIAL]: a few examples, each a feature map of `channels` channels × SPATIAL
// positions, and each example drawn with a shift and a gain of its own (as activations of
// different inputs differ), so that normalising each example, channel or group on its own visibly
// does something different from pooling the batch.
import { groupChoices, groupsDivide, normOf } from '../norms.js';

/** Each channel's population mean and standard deviation, whatever the distribution. */
export const CHANNEL_MEANS = Object.freeze([3, -2, 1, -1, 2, -3, 0.5, 1.5]);
export const CHANNEL_STDS = Object.freeze([2, 0.5, 1, 1.5, 0.8, 1.2, 0.6, 1]);
export const MAX_CHANNELS = CHANNEL_MEANS.length;
/** Batch norm's default number of channels (the two of the scatter plot). */
export const CHANNELS = 2;

/** Spatial positions per channel for the per-example norms (layer, instance, group, RMS). */
export const SPATIAL = 64;
/** Per-example norms: example i is shift[i] + gain[i] · (its channels' population values). */
export const EXAMPLE_SHIFTS = Object.freeze([0, 3, -2, 1.5, -3.5, 4, -1, 2]);
export const EXAMPLE_GAINS = Object.freeze([1, 0.6, 1.5, 0.8, 1.3, 0.7, 1.2, 0.9]);

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

/**
 * The widget's defaults (each norm's `widget.defaults` in norms.js change batchSize, channels and
 * groups: defaultsFor). ε is not here: it is the core's default for the norm (initialParams).
 */
export const DEFAULTS = Object.freeze({
  norm: 'batch',
  distribution: 'normal',
  batchSize: 64,
  channels: CHANNELS,
  groups: 1,
  seed: 1,
  gamma: 1,
  beta: 0,
  momentum: 0.1,
  mode: 'training',
});

/** Every parameter's default for `norm` but ε (which comes from the core). */
export function defaultsFor(norm) {
  return { ...DEFAULTS, ...normOf(norm).widget.defaults, norm };
}

export const LIMITS = Object.freeze({
  batchSize: { min: 2, max: 1024 },
  channels: { min: 2, max: MAX_CHANNELS },
  seed: { min: 0, max: 2 ** 31 - 1 },
  gamma: { min: -3, max: 3, step: 0.1 },
  beta: { min: -3, max: 3, step: 0.1 },
  eps: { min: 0, max: 10 },
  momentum: { min: 0.01, max: 1, step: 0.01 },
});

// The per-example norms show every example: a few of them, and any number from one (a batch of
// one is fine without batch statistics).
const PER_EXAMPLE_LIMITS = {
  batchSize: { min: 1, max: 8 },
  channels: { min: 1, max: MAX_CHANNELS },
};

/** LIMITS for `norm`. */
export function limitsFor(norm) {
  return normOf(norm).perExample ? { ...LIMITS, ...PER_EXAMPLE_LIMITS } : LIMITS;
}

/** The first choice of G for `channels`: the smallest divisor between 1 and c, else 1. */
export function defaultGroups(channels) {
  return groupChoices(channels).find((g) => g > 1 && g < channels) ?? 1;
}

/**
 * The parameters a widget for `norm` starts from: its defaults, ε from the core's defaults
 * (`core.defaults`), then `given` (from the attributes).
 */
export function initialParams(norm, given = {}, coreDefaults = undefined) {
  const description = normOf(norm);
  const eps = coreDefaults?.[description.epsDefault];
  if (typeof eps !== 'number') {
    throw new TypeError(
      `initialParams: coreDefaults has no number ${description.epsDefault}, ` +
        "expected the loaded core's defaults (core.defaults)",
    );
  }
  const params = { ...defaultsFor(norm), eps, ...given, norm };
  if (
    description.takesGroups &&
    (given.groups === undefined || !groupsDivide(params.channels, params.groups))
  ) {
    params.groups = defaultGroups(params.channels);
  }
  return params;
}

/** The shape { n, c, s } of x for these parameters. */
export function shapeOf({ norm = DEFAULTS.norm, batchSize, channels }) {
  const c = channels ?? defaultsFor(norm).channels;
  return { n: batchSize, c, s: normOf(norm).perExample ? SPATIAL : 1 };
}

/** The seed of the batch drawn at step `step` (step 0 is the first batch). */
export function batchSeed(seed, step) {
  return (seed + step) % (LIMITS.seed.max + 1);
}

/**
 * Options for core.sample giving x for these parameters at step `step`, row-major in the shape
 * shapeOf() gives. For the per-example norms the draw is shaped [1, n·c, s], the same memory as
 * [n, c, s], so that each (example, channel) can have an offset and a scale of its own.
 */
export function samplingOptions({
  norm = DEFAULTS.norm,
  distribution,
  batchSize,
  channels,
  seed,
  step = 0,
}) {
  const d = DISTRIBUTIONS[distribution];
  if (!d)
    throw new RangeError(`samplingOptions: unknown distribution ${JSON.stringify(distribution)}`);
  const { n, c, s } = shapeOf({ norm, batchSize, channels });
  // value = mean + std · (draw − d.mean) / d.std, per channel
  const offsets = CHANNEL_MEANS.slice(0, c).map((m, ch) => m - (CHANNEL_STDS[ch] * d.mean) / d.std);
  const scales = CHANNEL_STDS.slice(0, c).map((sd) => sd / d.std);
  const common = { distribution, seed: batchSeed(seed, step), ...d.params };
  if (!normOf(norm).perExample) return { ...common, n, c, s, offset: offsets, scale: scales };
  const offset = [];
  const scale = [];
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      offset.push(EXAMPLE_SHIFTS[i] + EXAMPLE_GAINS[i] * offsets[ch]);
      scale.push(EXAMPLE_GAINS[i] * scales[ch]);
    }
  }
  return { ...common, n: 1, c: n * c, s, offset, scale };
}
