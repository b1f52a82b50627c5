// The contrast figure's question to the core: EXAMPLES small images of CHANNELS channels, each a
// SIDE×SIDE grid, sharing one pattern per channel but each with its own brightness and contrast
// (example 1's set by the reader). Instance norm gives every channel of every example mean 0 and
// standard deviation 1, so the differences in brightness and contrast are gone. Shared by the
// figure and its tests.

export const EXAMPLES = 3;
export const CHANNELS = 2;
export const SIDE = 6;
export const POSITIONS = SIDE * SIDE;
export const SHAPE = Object.freeze({ n: EXAMPLES, c: CHANNELS, s: POSITIONS });
export const BRIGHTNESS = Object.freeze({ min: -3, max: 3, step: 0.25 });
export const CONTRAST = Object.freeze({ min: 0.25, max: 3, step: 0.25 });
/** Example 1's starting look and the fixed looks of the others. */
export const LOOKS = Object.freeze([
  Object.freeze({ brightness: 2, contrast: 2.5 }),
  Object.freeze({ brightness: 0, contrast: 1 }),
  Object.freeze({ brightness: -1.5, contrast: 0.5 }),
]);
const NOISE = Object.freeze({ distribution: 'normal', ...SHAPE, seed: 31, mean: 0, std: 0.15 });

/** Channel 1: a diagonal ramp; channel 2: a ring. Both about −1 … 1, the images' shared content. */
export function pattern(channel, position) {
  const row = Math.floor(position / SIDE);
  const col = position % SIDE;
  const centre = (SIDE - 1) / 2;
  if (channel === 0) return (row + col) / (SIDE - 1) - 1;
  const r = Math.hypot(row - centre, col - centre);
  return 1 - Math.abs(r - 1.8);
}

/** The input images for example 1's `look` (the others fixed). */
export function images(core, look) {
  const noise = core.sample(NOISE);
  const x = new Float32Array(noise.length);
  for (let n = 0; n < EXAMPLES; n++) {
    const { brightness, contrast } = n === 0 ? look : LOOKS[n];
    for (let c = 0; c < CHANNELS; c++) {
      for (let s = 0; s < POSITIONS; s++) {
        const i = (n * CHANNELS + c) * POSITIONS + s;
        x[i] = brightness + contrast * (pattern(c, s) + noise[i]);
      }
    }
  }
  return x;
}

const stdOf = (variance) => Float64Array.from(variance, (v) => Math.sqrt(v));

/**
 * Instance norm of the images, and each channel's mean and standard deviation before and after
 * (index n * CHANNELS + c), all from the core.
 */
export function contrast(core, look) {
  for (const [key, range] of [
    ['brightness', BRIGHTNESS],
    ['contrast', CONTRAST],
  ]) {
    const v = look?.[key];
    if (!(v >= range.min && v <= range.max)) {
      throw new RangeError(`contrast: look.${key} is ${v}, expected ${range.min} to ${range.max}`);
    }
  }
  const x = images(core, look);
  const normed = core.instanceNorm(x, SHAPE);
  const after = core.instanceNorm(normed.y, SHAPE);
  return {
    x,
    y: normed.y,
    before: { mean: normed.mean, std: stdOf(normed.var) },
    after: { mean: after.mean, std: stdOf(after.var) },
  };
}
