// The small-batches figure's question to the core: draw BATCHES batches of one feature from the
// same population and batch-normalise each. Shared by the figure and its browser test.
//
// The batches are laid out as the channels of one [n = batch size, c = BATCHES, s = 1] tensor:
// batch norm takes its statistics per channel over the n examples, so one call gives every
// batch's own μ_B (the `mean` it returns) and its normalised values, exactly as separate calls
// would.

export const BATCH_SIZES = Object.freeze([2, 4, 8, 16, 64, 256]);
export const DEFAULT_BATCH_SIZE = 16;
export const BATCHES = 30;
export const POPULATION = Object.freeze({ mean: 2, std: 1 });
export const FIRST_SEED = 101;
/**
 * How close to ±1 a normalised value must be to count as ±1 "to two decimals". Not exactly ±1: ε
 * under the square root gives |d| / √(d² + ε) for a pair d either side of its mean.
 */
export const UNIT_TOLERANCE = 0.005;

/** The sample request for `batchSize` examples in each of BATCHES batches, drawn with `seed`. */
export const sampleFor = (batchSize, seed) => ({
  distribution: 'normal',
  n: batchSize,
  c: BATCHES,
  s: 1,
  seed,
  mean: POPULATION.mean,
  std: POPULATION.std,
});

/**
 * The batches for one batch size and seed, batch-normalised by the core.
 * @returns {{ batchSize: number, means: Float32Array, y: Float32Array, spread: number,
 *   nearUnit: number }} means[b] is μ_B of batch b; y[i * BATCHES + b] is example i of batch b
 *   normalised; spread is the standard deviation of the BATCHES means (also from the core: batch
 *   norm of the means as one channel); nearUnit counts normalised values within UNIT_TOLERANCE of ±1.
 */
export function smallBatches(core, batchSize, seed) {
  if (!BATCH_SIZES.includes(batchSize)) {
    throw new RangeError(
      `smallBatches: batchSize is ${batchSize}, expected one of ${BATCH_SIZES.join(', ')}`,
    );
  }
  const x = core.sample(sampleFor(batchSize, seed));
  const { y, mean } = core.batchNorm(x, { n: batchSize, c: BATCHES, s: 1 });
  const spread = Math.sqrt(core.batchNorm(mean, { n: BATCHES, c: 1, s: 1 }).var[0]);
  let nearUnit = 0;
  for (const v of y) if (Math.abs(Math.abs(v) - 1) <= UNIT_TOLERANCE) nearUnit++;
  return { batchSize, means: mean, y, spread, nearUnit };
}
