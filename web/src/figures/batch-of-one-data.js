// The batch-of-one figure's question to the core: one fixed example of FEATURES features, normalised
// alone and as the first example of a batch of other examples drawn with `seed`. Layer norm's output
// for it is the same in every batch; batch norm's (training mode) depends on the batch, and the core
// refuses a batch of one. Shared by the figure and its tests.

import { largestDifference } from './differences.js';

export const FEATURES = 6;
export const BATCH_SIZES = Object.freeze([1, 2, 4, 8, 16, 64]);
export const DEFAULT_BATCH_SIZE = 8;
export const FIRST_SEED = 41;
/** Layer norm's outputs alone and in a batch count as "the same" when no pair differs by more. */
export const SAME_TOLERANCE = 1e-6;

const OFFSETS = [1.5, -0.5, 0.8, 2.2, -1.2, 0.3];
const SCALES = [1, 0.7, 1.3, 0.9, 1.1, 0.6];

/** The example the figure follows: drawn once, the same whatever the batch. */
export const EXAMPLE_SAMPLE = Object.freeze({
  distribution: 'normal',
  n: 1,
  c: FEATURES,
  s: 1,
  seed: 5,
  offset: OFFSETS,
  scale: SCALES,
});

/** The other batchSize − 1 examples of the batch drawn with `seed` (batchSize ≥ 2). */
export const othersFor = (batchSize, seed) => ({
  ...EXAMPLE_SAMPLE,
  n: batchSize - 1,
  seed,
});

/**
 * The example's outputs for one batch size and seed.
 * @returns {{ batchSize: number, example: Float32Array, batch: Float32Array, alone: Float32Array,
 *   layer: Float32Array, batchNorm: Float32Array | null, difference: number, same: boolean }}
 *   alone: layer norm of the example by itself; layer and batchNorm: the example's rows of layer
 *   norm and of batch norm (training) over the whole batch; batchNorm is null where the core
 *   refuses (a batch of one); difference: the largest |layer − alone|.
 */
export function batchOfOne(core, batchSize, seed) {
  if (!BATCH_SIZES.includes(batchSize)) {
    throw new RangeError(
      `batchOfOne: batchSize is ${batchSize}, expected one of ${BATCH_SIZES.join(', ')}`,
    );
  }
  const example = core.sample(EXAMPLE_SAMPLE);
  const batch = new Float32Array(batchSize * FEATURES);
  batch.set(example);
  if (batchSize > 1) batch.set(core.sample(othersFor(batchSize, seed)), FEATURES);
  const shape = { n: batchSize, c: FEATURES, s: 1 };
  const alone = core.layerNorm(example, { n: 1, c: FEATURES, s: 1 }).y;
  const layer = core.layerNorm(batch, shape).y.slice(0, FEATURES);
  let batchNorm = null;
  try {
    batchNorm = core.batchNorm(batch, shape).y.slice(0, FEATURES);
  } catch (error) {
    // The core's refusal of a single value per channel; anything else is a real fault.
    if (!(error instanceof RangeError) || batchSize !== 1) throw error;
  }
  const difference = largestDifference(layer, alone);
  return {
    batchSize,
    example,
    batch,
    alone,
    layer,
    batchNorm,
    difference,
    same: difference <= SAME_TOLERANCE,
  };
}

/** The largest change of batch norm's output for the example between two results (or null). */
export function batchNormChange(previous, current) {
  if (!previous?.batchNorm || !current.batchNorm) return null;
  return largestDifference(previous.batchNorm, current.batchNorm);
}
