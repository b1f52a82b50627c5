// The batch of the coupling figure and what moving one example does to it: six examples of four
// features, drawn by the core from a fixed seed; example 1 moves by adding `delta` to each of its
// features. Shared by the figure and its browser test, so both ask the core the same question.

export const EXAMPLES = 6;
export const FEATURES = 4;
export const SHAPE = Object.freeze({ n: EXAMPLES, c: FEATURES, s: 1 });
export const SAMPLE = Object.freeze({
  distribution: 'normal',
  n: EXAMPLES,
  c: FEATURES,
  s: 1,
  seed: 17,
  offset: [1, -1, 0.5, 2],
  scale: [1, 0.8, 1.2, 0.6],
});
export const DELTA = Object.freeze({ min: -6, max: 6, step: 0.1 });

/** x with example 1's features moved by `delta` (a new array). */
export function moveFirst(x, delta) {
  const moved = Float32Array.from(x);
  for (let f = 0; f < FEATURES; f++) moved[f] += delta;
  return moved;
}

/**
 * Batch norm and layer norm of the moved batch and of the original, and how far the outputs of
 * examples 2 to 6 moved under each (the largest change over their features).
 */
export function coupling(core, x, delta) {
  const moved = moveFirst(x, delta);
  const result = {};
  for (const [name, op] of [
    ['batch', (v) => core.batchNorm(v, SHAPE).y],
    ['layer', (v) => core.layerNorm(v, SHAPE).y],
  ]) {
    const before = op(x);
    const after = op(moved);
    let largest = 0;
    for (let i = FEATURES; i < x.length; i++) {
      largest = Math.max(largest, Math.abs(after[i] - before[i]));
    }
    result[name] = { before, after, largest };
  }
  return result;
}
