// The comparison's data: a seeded batch of up to MAX_N samples whose channels differ in mean and
// scale. A smaller batch is the first n samples of the same draw, so shrinking it keeps the rest.
export const MAX_N = 8;

const OFFSETS = [2, -1, 0.5, 4, -3, 1, -2, 3];
const SCALES = [1.5, 0.5, 1, 2, 0.8, 1.2, 0.6, 2.5];

export function drawBatch(core, { c, s, seed }) {
  return core.sample({
    distribution: 'normal',
    n: MAX_N,
    c,
    s,
    seed,
    offset: OFFSETS.slice(0, c),
    scale: SCALES.slice(0, c),
  });
}

export const firstSamples = (full, n, shape) => full.subarray(0, n * shape.c * shape.s);

// A batch of the same shape as `batch` whose first sample is `batch`'s and whose other samples are
// a different draw (the next seed), for asking whether the rest of the batch matters.
export function withOtherSamples(core, batch, shape, seed) {
  const other = firstSamples(
    drawBatch(core, { c: shape.c, s: shape.s, seed: seed + 1 }),
    shape.n,
    shape,
  ).slice();
  other.set(batch.subarray(0, shape.c * shape.s));
  return other;
}
