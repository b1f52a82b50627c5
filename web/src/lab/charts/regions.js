// A network's decision regions: the worker's image of the class probabilities on a grid over the
// plane (region-colours.js), scaled up, with the held-out points on top. A redraw is one
// putImageData of a small grid, one drawImage and a few hundred dots.

import { CLASS_COLOURS } from '../region-colours.js';

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
    this.image = true;
    this.pixels = null;
    this.dirty = true;
  }

  /** `pixels`: the grid's RGBA from the worker, or null for a network that has diverged. */
  setMap(pixels) {
    this.pixels = pixels;
    this.diverged = !pixels;
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
    if (this.pixels) {
      this.raster
        .getContext('2d')
        .putImageData(new ImageData(this.pixels, this.grid, this.grid), 0, 0);
      this.pixels = null;
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
