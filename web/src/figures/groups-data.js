// The groups figure's question to the core: one example of CHANNELS channels with POSITIONS values
// each, group-normalised with G groups, G a divisor of CHANNELS, and compared with layer norm and
// instance norm of the same example. At G = 1 the outputs equal layer norm's, at G = CHANNELS
// instance norm's. Shared by the figure and its tests.

import { largestDifference } from './differences.js';

export const CHANNELS = 8;
export const POSITIONS = 4;
export const SHAPE = Object.freeze({ n: 1, c: CHANNELS, s: POSITIONS });
export const GROUP_CHOICES = Object.freeze([1, 2, 4, 8]);
export const DEFAULT_GROUPS = 2;
export const FIRST_SEED = 61;
/** The outputs "equal" another norm's when no value differs by more than this. */
export const EQUAL_TOLERANCE = 1e-5;

/** The example drawn with `seed`: channels with their own levels and spreads, as real ones have. */
export const sampleFor = (seed) => ({
  distribution: 'normal',
  ...SHAPE,
  seed,
  offset: [-2, -1.2, 0.4, 1, -0.6, 2, 2.6, 0],
  scale: [0.5, 0.8, 0.4, 1, 0.6, 0.9, 0.5, 1.2],
});

/**
 * Group norm of x with `groups` groups, and how far its outputs are from layer norm's and from
 * instance norm's.
 * @returns {{ groups: number, y: Float32Array, mean: Float32Array, std: number[],
 *   fromLayer: number, fromInstance: number, equalsLayer: boolean, equalsInstance: boolean }}
 */
export function groupsOf(core, x, groups) {
  if (!GROUP_CHOICES.includes(groups)) {
    throw new RangeError(
      `groupsOf: groups is ${groups}, expected one of ${GROUP_CHOICES.join(', ')}`,
    );
  }
  const g = core.groupNorm(x, SHAPE, { groups });
  const fromLayer = largestDifference(g.y, core.layerNorm(x, SHAPE).y);
  const fromInstance = largestDifference(g.y, core.instanceNorm(x, SHAPE).y);
  return {
    groups,
    y: g.y,
    mean: g.mean,
    std: Array.from(g.var, (v) => Math.sqrt(v)),
    fromLayer,
    fromInstance,
    equalsLayer: fromLayer <= EQUAL_TOLERANCE,
    equalsInstance: fromInstance <= EQUAL_TOLERANCE,
  };
}
