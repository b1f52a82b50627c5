// How far apart two equally long lists of numbers are: what the figures' "the same" and "equals"
// sentences rest on. Kept apart from figure-kit.js (which loads CSS) so Node can import it.

/** The largest |a[i] − b[i]|; lists of different lengths are a caller's error, not a match. */
export function largestDifference(a, b) {
  if (a.length !== b.length) {
    throw new RangeError(`largestDifference: a has ${a.length} values, b has ${b.length}`);
  }
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
