// The five normalisations as the comparison view sees them. Which values share statistics, the
// names and the core's operations all come from web/src/norms.js (the one description of each);
// this file adds only the comparison's short labels, how to read a set's statistics, and the
// reader's explanation when batch norm cannot train.
import { NORMS, runForward, setIndex } from '../norms.js';

const capitalised = (text) => text[0].toUpperCase() + text.slice(1);

export const METHODS = NORMS.map(({ id, label, over }) => ({
  id,
  label: capitalised(label), // "Batch norm", …, "RMS norm"
  over,
}));

/** The set (0-based) that value {n, c} belongs to under `method`, from norms.js's definition. */
export const setOf = (method, { n, c }, shape, groups) => setIndex(method, shape, groups).of(n, c);

// Runs one method through the core. Returns { y, stats(set) -> { mean, std } | { rms } } or
// { error } when the core refuses (batch-norm training with one value per channel).
export function runMethod(core, method, x, shape, groups) {
  try {
    const r = runForward(core, method, x, shape, {}, groups);
    if (r.rms) return { y: r.y, stats: (set) => ({ rms: r.rms[set] }) };
    return { y: r.y, stats: (set) => ({ mean: r.mean[set], std: Math.sqrt(r.var[set]) }) };
  } catch (error) {
    if (error instanceof RangeError) return { error: error.message };
    throw error;
  }
}

export function describeStats(stats) {
  if (stats.rms !== undefined) return `rms ${stats.rms.toFixed(3)}`;
  return `mean ${stats.mean.toFixed(3)}, std ${stats.std.toFixed(3)}`;
}

// Why batch norm gives no training output for this shape, said for a reader rather than a
// programmer (the core's own message names arguments). Batch norm refuses exactly when each
// channel holds one value: one sample with one position.
export function refusalText({ n, s }) {
  if (n * s !== 1) return 'No output: the core could not normalise this batch.';
  return (
    'No output. With one sample and one position, each channel holds a single value, and a ' +
    'single value has no variance, so training cannot normalise it. Two samples, or two ' +
    'positions, are enough.'
  );
}
