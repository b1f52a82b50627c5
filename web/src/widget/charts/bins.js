// Histogram binning and axis ranges for values laid out row-major [n, channels]. Counting and
// picking a range are the only arithmetic here; the values come from the core.

/** How many bins suit n values: enough to show a shape, few enough to stay readable. */
export function binCount(n) {
  return Math.max(6, Math.min(36, Math.round(2 * Math.cbrt(n) + 4)));
}

/**
 * Counts channel `ch` of `values` into counts (Float64Array of length bins) over [lo, hi]. Values
 * outside the range are left out (they occur only in mid-animation, between two batches' axes).
 */
export function countInto(values, ch, channels, lo, hi, counts) {
  counts.fill(0);
  const bins = counts.length;
  const scale = bins / (hi - lo);
  for (let i = ch; i < values.length; i += channels) {
    const v = values[i];
    if (!(v >= lo && v <= hi)) continue;
    const k = Math.floor((v - lo) * scale);
    counts[k >= bins ? bins - 1 : k] += 1;
  }
  return counts;
}

/** [min, max] of channel `ch` over several arrays. */
export function extent(arrays, ch, channels) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of arrays) {
    for (let i = ch; i < values.length; i += channels) {
      const v = values[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

/** A range a little wider than [lo, hi], rounded outwards to a tidy step. */
export function niceRange([lo, hi]) {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [-1, 1];
  if (hi - lo < 1e-6) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = (hi - lo) * 0.04;
  const step = 10 ** Math.floor(Math.log10((hi - lo) / 4)) / 2;
  return [Math.floor((lo - pad) / step) * step, Math.ceil((hi + pad) / step) * step];
}

/** The union of two ranges (for axes that only grow while the animation plays). */
export function union(a, b) {
  return a ? [Math.min(a[0], b[0]), Math.max(a[1], b[1])] : b;
}
