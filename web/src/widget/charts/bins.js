// Histogram binning and axis ranges. A "set" of values is read from a flat array as
// values[offset + i * stride] for i < count: one channel of [n, c] data (offset c, stride c) or one
// contiguous block (stride 1). Counting and picking a range are the only arithmetic here; the
// values come from the core.

/** How many bins suit n values: enough to show a shape, few enough to stay readable. */
export function binCount(n) {
  return Math.max(10, Math.min(48, Math.round(3 * Math.cbrt(n) + 8)));
}

/**
 * Counts a set of `values` into counts (Float64Array of length bins) over [lo, hi]. Values
 * outside the range are left out (they occur only in mid-animation, between two batches' axes).
 */
export function countInto(values, offset, stride, count, lo, hi, counts) {
  counts.fill(0);
  const bins = counts.length;
  const scale = bins / (hi - lo);
  const end = offset + count * stride;
  for (let i = offset; i < end; i += stride) {
    const v = values[i];
    if (!(v >= lo && v <= hi)) continue;
    const k = Math.floor((v - lo) * scale);
    counts[k >= bins ? bins - 1 : k] += 1;
  }
  return counts;
}

/** Widens `into` ([min, max]) to hold a set of `values`. */
export function extendExtent(into, values, offset, stride, count) {
  let [lo, hi] = into;
  const end = offset + count * stride;
  for (let i = offset; i < end; i += stride) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  into[0] = lo;
  into[1] = hi;
  return into;
}

/** A tick step of 1, 2 or 5 times a power of ten giving about `intervals` intervals over `span`. */
function tickStep(span, intervals) {
  const raw = span / intervals;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / magnitude;
  return (unit < 1.5 ? 1 : unit < 3.5 ? 2 : unit < 7.5 ? 5 : 10) * magnitude;
}

/**
 * An axis a little wider than [lo, hi] whose ends are ticks, about `intervals` apart (fewer for
 * small charts). Ranges are kept as [min, max] arrays with the step attached, so they can be
 * compared and merged.
 */
export function niceRange([lo, hi], padding = 0.03, intervals = 5) {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return niceRange([-1, 1], padding, intervals);
  if (hi - lo < 1e-6) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = (hi - lo) * padding;
  const step = tickStep(hi - lo + 2 * pad, intervals);
  const range = [Math.floor((lo - pad) / step) * step, Math.ceil((hi + pad) / step) * step];
  range.step = step;
  return range;
}

/** The smallest nice range holding both (for axes that only grow while the animation plays). */
export function union(a, b, intervals = 5) {
  if (!a) return b;
  if (b[0] >= a[0] && b[1] <= a[1]) return a;
  // Both are padded already: no more padding, or the axis would creep outwards at every step.
  return niceRange([Math.min(a[0], b[0]), Math.max(a[1], b[1])], 0, intervals);
}

export const sameRange = (a, b) => Boolean(a && b) && a[0] === b[0] && a[1] === b[1];
