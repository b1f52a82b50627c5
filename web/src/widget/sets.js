// The widget's view of which values a norm normalises together ("sets"): norms.js setIndex says
// which set each (example, channel) belongs to; this module turns that into how to read one set
// out of x, values[offset(k) + i * stride] for i < length, and into its label, colour and note.
import { normOf, setIndex } from '../norms.js';

/** The most histograms drawn: the first sets; the strip chart and the status summarise the rest. */
export const MAX_HISTOGRAMS = 8;

/**
 * @param {string} norm  an id of norms.js
 * @param {{ n: number, c: number, s: number }} shape
 * @param {number} groups  group norm's G (ignored by the other norms)
 */
export function describeSets(norm, shape, groups = 1) {
  const description = normOf(norm);
  const g = description.takesGroups ? groups : 1;
  const { count, of } = setIndex(norm, shape, g);
  const { offsets, stride, length } = layout(norm, shape, count, of);
  const { label, colour, note } = description.sets;
  const perExample = description.perExample ? count / shape.n : count;
  return {
    norm,
    axis: description.sets.axis,
    count,
    length,
    stride,
    offset: (k) => offsets[k],
    label: (k) => label(k, shape, g),
    colour: (k) => colour(k, shape, g),
    /** The example set k belongs to (from 0); 0 for a norm whose sets span the batch. */
    example: (k) => (description.perExample ? Math.floor(k / perExample) : 0),
    perExample,
    /** What set k holds when its label does not say it, e.g. "4 channels × 64 positions", or ''. */
    note: (k) => (note ? note(k, shape, g) : ''),
  };
}

// Each set's values as an arithmetic run of x: the first flat index, the step and the count.
// True of all five norms (a batch-norm channel steps by c; the others are contiguous blocks); a
// norm whose sets are not such runs would need a gather here, so it fails loudly instead.
function layout(norm, { n, c, s }, count, of) {
  const members = Array.from({ length: count }, () => []);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < s; p++) members[of(i, ch)].push((i * c + ch) * s + p);
    }
  }
  const length = members[0].length;
  const stride = length > 1 ? members[0][1] - members[0][0] : 1;
  const offsets = members.map((m) => m[0]);
  for (const [k, m] of members.entries()) {
    const run = m.length === length && m.every((index, i) => index === m[0] + i * stride);
    if (!run) {
      throw new RangeError(
        `describeSets: set ${k} of ${norm} is not a run of x with one stride, ` +
          'expected every set to be one',
      );
    }
  }
  return { offsets, stride, length };
}
