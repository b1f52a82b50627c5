// The RMS-shift figure's question to the core: one example of FEATURES values whose mean is zero,
// shifted by a constant, normalised by layer norm and by RMS norm. Layer norm removes the shift
// (its output mean stays 0); RMS norm keeps it, scaled. Shared by the figure and its tests.

import { largestDifference } from './differences.js';

export const FEATURES = 8;
export const SHIFT = Object.freeze({ min: -3, max: 3, step: 0.25 });
export const DEFAULT_SHIFT = 1.5;
const SHAPE = Object.freeze({ n: 1, c: FEATURES, s: 1 });

/**
 * The unshifted example: four values drawn by the core and their negatives, so that its mean is
 * zero and, at shift 0, RMS norm and layer norm agree.
 */
export function baseExample(core) {
  const [a, b, c, d] = core.sample({ distribution: 'normal', n: 1, c: 4, s: 1, seed: 23 });
  return Float32Array.from([a, b, c, d, -b, -d, -a, -c]);
}

/** The base example with `shift` added to every value (a new array). */
export function shifted(base, shift) {
  return Float32Array.from(base, (v) => v + shift);
}

/**
 * Both norms of the shifted example, with each output's mean as the core computes it (layer norm's
 * statistics of the output).
 * @returns {{ x: Float32Array, mean: number, std: number, rms: number,
 *   layer: { y: Float32Array, mean: number }, rmsNorm: { y: Float32Array, mean: number },
 *   difference: number }} mean, std and rms are the input's; difference is max |RMS y − layer y|
 */
export function rmsShift(core, base, shift) {
  if (!(shift >= SHIFT.min && shift <= SHIFT.max)) {
    throw new RangeError(`rmsShift: shift is ${shift}, expected ${SHIFT.min} to ${SHIFT.max}`);
  }
  const x = shifted(base, shift);
  const layer = core.layerNorm(x, SHAPE);
  const rms = core.rmsNorm(x, SHAPE);
  const meanOf = (y) => core.layerNorm(y, SHAPE).mean[0];
  return {
    x,
    mean: layer.mean[0],
    std: Math.sqrt(layer.var[0]),
    rms: rms.rms[0],
    layer: { y: layer.y, mean: meanOf(layer.y) },
    rmsNorm: { y: rms.y, mean: meanOf(rms.y) },
    difference: largestDifference(rms.y, layer.y),
  };
}
