// The running-statistics figure's question to the core: a data set of one feature, batches drawn
// from it step after step, and batch norm in training mode carrying its running mean and variance
// from each step to the next. Shared by the figure and its browser test.

export const DATA_SIZE = 4096;
export const BATCH_SIZE = 16;
export const STEPS = 100;
export const MOMENTA = Object.freeze([0.01, 0.05, 0.1, 0.3]);
export const DEFAULT_MOMENTUM = 0.1;
const DATA = Object.freeze({
  distribution: 'normal',
  n: DATA_SIZE,
  c: 1,
  s: 1,
  seed: 29,
  mean: 3,
  std: 2,
});

/**
 * The data set and its statistics (the "population" the running estimates should approach), and
 * the batches of every step (`values` is the data set itself): batch t holds the data set's values at BATCH_SIZE indices drawn by the
 * core (uniform over the data set, seed 1000 + t).
 */
export function dataSet(core) {
  const data = core.sample(DATA);
  const whole = core.batchNorm(data, { n: DATA_SIZE, c: 1, s: 1 });
  const batches = [];
  for (let t = 1; t <= STEPS; t++) {
    const draws = core.sample({
      distribution: 'uniform',
      n: BATCH_SIZE,
      c: 1,
      s: 1,
      seed: 1000 + t,
      low: 0,
      high: DATA_SIZE,
    });
    batches.push(Float32Array.from(draws, (u) => data[Math.min(DATA_SIZE - 1, Math.floor(u))]));
  }
  return { values: data, mean: whole.mean[0], std: Math.sqrt(whole.var[0]), batches };
}

/**
 * Trains through every batch with `momentum`, from PyTorch's start (mean 0, variance 1).
 * Index 0 of each array is the state before the first step; index t is after step t (the batch
 * arrays hold NaN at 0, where there is no batch yet).
 */
export function trajectory(core, batches, momentum) {
  if (!MOMENTA.includes(momentum)) {
    throw new RangeError(
      `trajectory: momentum is ${momentum}, expected one of ${MOMENTA.join(', ')}`,
    );
  }
  const steps = batches.length;
  const out = {
    batchMean: new Float64Array(steps + 1).fill(NaN),
    batchStd: new Float64Array(steps + 1).fill(NaN),
    runningMean: new Float64Array(steps + 1),
    runningStd: new Float64Array(steps + 1),
  };
  let runningMean = new Float32Array([0]);
  let runningVar = new Float32Array([1]);
  out.runningMean[0] = 0;
  out.runningStd[0] = 1;
  batches.forEach((x, i) => {
    const r = core.batchNorm(
      x,
      { n: BATCH_SIZE, c: 1, s: 1 },
      {
        training: true,
        momentum,
        runningMean,
        runningVar,
      },
    );
    ({ runningMean, runningVar } = r);
    out.batchMean[i + 1] = r.mean[0];
    out.batchStd[i + 1] = Math.sqrt(r.var[0]);
    out.runningMean[i + 1] = runningMean[0];
    out.runningStd[i + 1] = Math.sqrt(runningVar[0]);
  });
  return out;
}
