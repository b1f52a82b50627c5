// The inference figure's question to the core: after some steps of training (the running
// statistics figure's data set and batches, momentum 0.1), one held-out batch goes through batch
// norm in training mode (its own μ_B, σ_B) and in inference mode (the running statistics), and one
// example of it is followed through both. Shared by the figure and its browser test.
import { BATCH_SIZE, DATA_SIZE, trajectory } from './running-statistics-data.js';

export const STEP_CHOICES = Object.freeze([0, 3, 10, 30, 100]);
export const DEFAULT_STEPS = 3;
export const MOMENTUM = 0.1;
export const EPS = 1e-5;
/** The running statistics count as converged after at least this many steps ... */
export const MIN_STEPS = 20;
/** ... and when neither running mean nor running std is further than this from the data set's,
 *  relative to the data set's standard deviation. */
export const MAX_RELATIVE_GAP = 0.15;

/** The held-out batch: BATCH_SIZE values of the data set at indices the core draws (seed 2024). */
export function heldOutBatch(core, data) {
  const draws = core.sample({
    distribution: 'uniform',
    n: BATCH_SIZE,
    c: 1,
    s: 1,
    seed: 2024,
    low: 0,
    high: DATA_SIZE,
  });
  return Float32Array.from(draws, (u) => data.values[Math.min(DATA_SIZE - 1, Math.floor(u))]);
}

const SHAPE = { n: BATCH_SIZE, c: 1, s: 1 };

/** Mean and standard deviation of `y`, from the core (batch norm's statistics of one channel). */
function moments(core, y) {
  const r = core.batchNorm(y, SHAPE);
  return { mean: r.mean[0], std: Math.sqrt(r.var[0]) };
}

/**
 * Both modes after `steps` steps of training: for each, the statistics used, the example's output
 * (example 1 of the held-out batch), and the mean and std of the whole normalised batch. `gap` is
 * the larger of the running mean's and running std's distance from the data set's, over the data
 * set's std; `converged` says whether the running statistics have settled (MIN_STEPS, gap).
 */
export function inference(core, data, batch, steps) {
  if (!STEP_CHOICES.includes(steps)) {
    throw new RangeError(
      `inference: steps is ${steps}, expected one of ${STEP_CHOICES.join(', ')}`,
    );
  }
  const path = trajectory(core, data.batches.slice(0, steps), MOMENTUM);
  const runningMean = new Float32Array([path.runningMean[steps]]);
  const runningVar = new Float32Array([path.runningStd[steps] ** 2]);
  const train = core.batchNorm(batch, SHAPE, { training: true, eps: EPS, momentum: MOMENTUM });
  const infer = core.batchNorm(batch, SHAPE, {
    training: false,
    eps: EPS,
    runningMean,
    runningVar,
  });
  const gap =
    Math.max(Math.abs(runningMean[0] - data.mean), Math.abs(Math.sqrt(runningVar[0]) - data.std)) /
    data.std;
  return {
    example: batch[0],
    training: {
      mean: train.mean[0],
      std: Math.sqrt(train.var[0]),
      y: train.y[0],
      ...spread(core, train.y),
    },
    inference: {
      mean: infer.mean[0],
      std: Math.sqrt(infer.var[0]),
      y: infer.y[0],
      ...spread(core, infer.y),
    },
    gap,
    converged: steps >= MIN_STEPS && gap <= MAX_RELATIVE_GAP,
  };
}

function spread(core, y) {
  const { mean, std } = moments(core, y);
  return { batchMean: mean, batchStd: std };
}
