// Turns a network's class probabilities on the grid into pixels, in the worker, so the page only
// copies an image: each cell is a blend of the class colours over the background, stronger where
// the network is sure. The colours match the points the page draws (regions.js).

export const CLASS_COLOURS = [
  [31, 95, 168],
  [200, 100, 20],
  [46, 125, 50],
  [123, 63, 160],
];

/**
 * @param {Float32Array} probs  [cells × classes], from net.predict
 * @returns {Uint8ClampedArray} RGBA, cells × 4
 */
export function colourRegions(probs, classes, cells, dark) {
  const px = new Uint8ClampedArray(cells * 4);
  const base = dark ? 30 : 255;
  const floor = 1 / classes;
  for (let i = 0; i < cells; i++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let top = 0;
    for (let k = 0; k < classes; k++) {
      const p = probs[i * classes + k];
      const c = CLASS_COLOURS[k % CLASS_COLOURS.length];
      r += p * c[0];
      g += p * c[1];
      b += p * c[2];
      if (p > top) top = p;
    }
    // Confidence from 1/classes (a guess) to 1 sets how much of the class colour shows.
    const t = 0.15 + (0.5 * (top - floor)) / (1 - floor);
    px[4 * i] = base + t * (r - base);
    px[4 * i + 1] = base + t * (g - base);
    px[4 * i + 2] = base + t * (b - base);
    px[4 * i + 3] = 255;
  }
  return px;
}
