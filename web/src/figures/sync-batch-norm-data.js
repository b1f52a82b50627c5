// The sync-batch-norm figure's question to the core: one global batch of GLOBAL_BATCH examples of
// one feature, split over K devices. Plain batch norm: each device normalises its own slice with
// that slice's μ; synchronised (SyncBN): every device uses the whole batch's μ and σ. Shared by the
// figure and its browser test.

export const GLOBAL_BATCH = 32;
export const DEVICE_CHOICES = Object.freeze([1, 2, 4, 8]);
export const DEFAULT_DEVICES = 4;
export const FIRST_SEED = 7;
export const POPULATION = Object.freeze({ mean: 2, std: 1 });

export const globalBatch = (core, seed) =>
  core.sample({
    distribution: 'normal',
    n: GLOBAL_BATCH,
    c: 1,
    s: 1,
    seed,
    mean: POPULATION.mean,
    std: POPULATION.std,
  });

/** Device k's slice: examples k·(GLOBAL_BATCH / K) up to the next device's first. */
export function slices(x, devices) {
  const per = GLOBAL_BATCH / devices;
  return Array.from({ length: devices }, (_, k) => x.slice(k * per, (k + 1) * per));
}

/**
 * Both ways of normalising the batch on `devices` devices. `perDevice.means[k]` is the μ device k
 * uses on its own; `synced.mean` is the one μ every device uses with SyncBN. `y[k]` holds device
 * k's normalised slice in each case.
 */
export function syncBatchNorm(core, x, devices) {
  if (!DEVICE_CHOICES.includes(devices)) {
    throw new RangeError(
      `syncBatchNorm: devices is ${devices}, expected one of ${DEVICE_CHOICES.join(', ')}`,
    );
  }
  const per = GLOBAL_BATCH / devices;
  // The slices side by side as the channels of one [per, devices, 1] tensor: batch norm's
  // per-channel statistics are then exactly each device's own.
  const laid = new Float32Array(GLOBAL_BATCH);
  for (let k = 0; k < devices; k++)
    for (let i = 0; i < per; i++) laid[i * devices + k] = x[k * per + i];
  const own = core.batchNorm(laid, { n: per, c: devices, s: 1 });
  const ownY = Array.from({ length: devices }, (_, k) =>
    Float32Array.from({ length: per }, (_, i) => own.y[i * devices + k]),
  );
  const whole = core.batchNorm(x, { n: GLOBAL_BATCH, c: 1, s: 1 });
  return {
    devices,
    perDevice: {
      means: Float64Array.from(own.mean),
      stds: Float64Array.from(own.var, Math.sqrt),
      y: ownY,
    },
    synced: { mean: whole.mean[0], std: Math.sqrt(whole.var[0]), y: slices(whole.y, devices) },
  };
}
