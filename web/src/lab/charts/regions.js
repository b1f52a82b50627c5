// A network's decision regions: the class probabilities it predicts on a grid over the plane,
// painted as a blend of the class colours (paler where it is unsure), with held-out points on top.
// The grid is drawn into a small offscreen canvas and scaled up, so a redraw is one drawImage
// plus a few hundred dots.

const CLASS_COLOURS = [
  [31, 95, 168],
  [200, 100, 20],
  [46, 125, 50],
  [123, 63, 160],
];

export class RegionsView {
  /** @param {HTMLCanvasElement} canvas  square, sized by CSS */
  constructor(canvas) {
    this.canvas = canvas;
    this.raster = document.createElement('canvas');
    this.image = null;
    this.points = null;
    this.extent = null;
    this.dirty = false;
    this.dark = false;
  }

  reset({ grid, extent, points, classes }) {
    this.grid = grid;
    this.extent = extent;
    this.points = points;
    this.classes = classes;
    this.raster.width = grid;
    this.raster.height = grid;
    this.image = new ImageData(grid, grid);
    this.hasMap = false;
    this.dirty = true;
  }

  /** `probs`: [grid² × classes] from the core, or null for a network that has diverged. */
  setMap(probs) {
    const { image, classes } = this;
    const px = image.data;
    const base = this.dark ? 30 : 255;
    for (let i = 0; i < this.grid * this.grid; i++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let top = 0;
      for (let k = 0; k < classes; k++) {
        const p = probs ? probs[i * classes + k] : 1 / classes;
        const c = CLASS_COLOURS[k % CLASS_COLOURS.length];
        r += p * c[0];
        g += p * c[1];
        b += p * c[2];
        if (p > top) top = p;
      }
      // Confidence 1/classes..1 maps to how much of the class colour shows over the background.
      const t = probs ? 0.15 + 0.5 * ((top - 1 / classes) / (1 - 1 / classes)) : 0;
      px[4 * i] = base + t * (r - base);
      px[4 * i + 1] = base + t * (g - base);
      px[4 * i + 2] = base + t * (b - base);
      px[4 * i + 3] = 255;
    }
    this.raster.getContext('2d').putImageData(image, 0, 0);
    this.hasMap = true;
    this.diverged = !probs;
    this.dirty = true;
  }

  setDark(dark) {
    this.dark = dark;
    this.dirty = true;
  }

  draw() {
    if (!this.dirty || !this.image) return false;
    this.dirty = false;
    const { canvas } = this;
    const size = Math.max(1, Math.round(canvas.clientWidth * devicePixelRatio));
    if (canvas.width !== size || canvas.height !== size) {
      canvas.width = size;
      canvas.height = size;
    }
    const ctx = canvas.getContext('2d');
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.raster, 0, 0, size, size);
    const { x, y } = this.extent;
    const sx = size / (x[1] - x[0]);
    const sy = size / (y[1] - y[0]);
    const radius = Math.max(1.5, size / 150);
    ctx.lineWidth = Math.max(0.75, radius / 3);
    // A light rim in both schemes: on the darker dark-mode regions a dark rim hid the points.
    ctx.strokeStyle = this.dark ? 'rgba(255,255,255,0.8)' : 'rgba(255,255,255,0.9)';
    const pts = this.points;
    for (let k = 0; k < this.classes; k++) {
      const c = CLASS_COLOURS[k % CLASS_COLOURS.length];
      ctx.fillStyle = `rgb(${c[0]} ${c[1]} ${c[2]})`;
      ctx.beginPath();
      for (let i = 0; i < pts.length; i += 3) {
        if (pts[i + 2] !== k) continue;
        const cx = (pts[i] - x[0]) * sx;
        const cy = (y[1] - pts[i + 1]) * sy;
        ctx.moveTo(cx + radius, cy);
        ctx.arc(cx, cy, radius, 0, 2 * Math.PI);
      }
      ctx.fill();
      ctx.stroke();
    }
    if (this.diverged) {
      ctx.fillStyle = this.dark ? 'rgba(30,32,36,0.75)' : 'rgba(255,255,255,0.75)';
      ctx.fillRect(0, 0, size, size);
    }
    return true;
  }
}
