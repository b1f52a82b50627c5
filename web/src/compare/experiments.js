// The comparison's two experiments, each a table of how much every method's outputs move:
// - invariance: scale the whole batch by k, shift it by c, or change one sample only;
// - batch dependence: sample 1's outputs in this batch against the same sample among other samples.
// The transformations are plain arithmetic on the data; every normalisation is the core's.
import { METHODS, runMethod } from './methods.js';

// Below this, an output counts as unchanged: eps in sqrt(var + eps) moves outputs slightly.
export const UNCHANGED = 1e-3;

function maxAbsDiff(a, b, from = 0, to = a.length) {
  let worst = 0;
  for (let i = from; i < to; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

export function invariance(core, x, shape, groups, { k, shift, perturb }) {
  const sampleSize = shape.c * shape.s;
  const scaled = x.map((v) => v * k);
  const shifted = x.map((v) => v + shift);
  const perturbed = x.slice();
  // Change the second sample only (the first when there is one sample).
  const changed = shape.n > 1 ? 1 : 0;
  for (let i = changed * sampleSize; i < (changed + 1) * sampleSize; i++) perturbed[i] += perturb;

  return METHODS.map(({ id }) => {
    const base = runMethod(core, id, x, shape, groups);
    if (base.error) return { method: id, error: base.error };
    const others =
      shape.n > 1
        ? maxAbsDiff(base.y, runMethod(core, id, perturbed, shape, groups).y, 0, sampleSize)
        : null;
    return {
      method: id,
      scale: maxAbsDiff(base.y, runMethod(core, id, scaled, shape, groups).y),
      shift: maxAbsDiff(base.y, runMethod(core, id, shifted, shape, groups).y),
      others, // how far sample 1's outputs move when another sample changes
    };
  });
}

// Sample 1's outputs in `batch` against its outputs in `otherBatch`: the same shape, the same
// sample 1, different other samples. Null change when there are no other samples to swap.
export function batchDependence(core, batch, otherBatch, shape, groups) {
  const sampleSize = shape.c * shape.s;
  return METHODS.map(({ id }) => {
    if (shape.n === 1) return { method: id, change: null };
    const here = runMethod(core, id, batch, shape, groups);
    const there = runMethod(core, id, otherBatch, shape, groups);
    if (here.error || there.error) return { method: id, error: here.error ?? there.error };
    return { method: id, change: maxAbsDiff(here.y, there.y, 0, sampleSize) };
  });
}

export const verdict = (delta) =>
  delta === null
    ? 'n/a'
    : delta < UNCHANGED
      ? 'unchanged'
      : `changes (by up to ${delta.toFixed(3)})`;
