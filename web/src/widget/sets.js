// Which values each norm normalises together ("sets"), and how to read one set out of x:
// values[offset(k) + i * stride] for i < length. Batch norm: one set per channel, strided across
// the examples. Layer and RMS norm: one per example; instance norm: one per (example, channel);
// group norm: one per (example, group). Those are contiguous blocks of [n, c, s] data.

/** The most histograms drawn: the first sets; the strip chart and the status summarise the rest. */
export const MAX_HISTOGRAMS = 8;

export const NORM_NAMES = Object.freeze({
  batch: 'batch norm',
  layer: 'layer norm',
  instance: 'instance norm',
  group: 'group norm',
  rms: 'RMS norm',
});

/**
 * @param {string} norm
 * @param {{ n: number, c: number, s: number }} shape
 * @param {number} groups  group norm's G (ignored by the other norms)
 */
export function describeSets(norm, { n, c, s }, groups = 1) {
  if (norm === 'batch') {
    return {
      norm,
      count: c,
      length: n,
      stride: c,
      offset: (k) => k,
      label: (k) => `Channel ${k + 1}`,
      colour: (k) => k,
      example: () => 0,
      perExample: c,
    };
  }
  const perExample = norm === 'instance' ? c : norm === 'group' ? groups : 1;
  const length = (c * s) / perExample;
  const example = (k) => Math.floor(k / perExample);
  const within = (k) => k % perExample;
  const labels = {
    layer: (k) => `Example ${k + 1}`,
    rms: (k) => `Example ${k + 1}`,
    instance: (k) => `Example ${example(k) + 1}, channel ${within(k) + 1}`,
    group: (k) => `Example ${example(k) + 1}, group ${within(k) + 1}`,
  };
  return {
    norm,
    count: n * perExample,
    length,
    stride: 1,
    offset: (k) => k * length,
    label: labels[norm],
    // Layer and RMS norm colour each example; instance norm each channel, group norm each group,
    // so that the same channel or group has the same colour in every example.
    colour: perExample === 1 ? (k) => k : within,
    example,
    perExample,
    /** Group norm: the channels of group g (0-based), as [first, last], 1-based. */
    groupChannels: (g) => [(g * c) / groups + 1, ((g + 1) * c) / groups],
  };
}

/** A short note on what a set holds, e.g. "4 channels × 64 positions" ('' when the label says it). */
export function setNote(sets, { c, s }, k) {
  if (sets.norm === 'batch' || sets.norm === 'instance') return '';
  if (sets.norm === 'group') {
    const [first, last] = sets.groupChannels(k % sets.perExample);
    return first === last ? `channel ${first}` : `channels ${first}–${last}`;
  }
  return `${c} channel${c === 1 ? '' : 's'} × ${s} positions`;
}
