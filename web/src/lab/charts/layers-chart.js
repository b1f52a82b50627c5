// One network's pre-activations over training, per hidden layer: the median as a line and the
// 10th to 90th percentile as a band, in the network's colour, paler for earlier layers. Without normalisation the bands drift
// and widen with depth and training; with it they stay put.
import { niceRange, union, sameRange } from '../../widget/charts/bins.js';
import { withAlpha } from '../../widget/charts/setup.js';
import { AxesPlot } from './axes-plot.js';

export class LayersChart {
  constructor(container, theme, index, requestDraw = () => {}) {
    this.index = index;
    this.layers = [];
    this.yRange = null;
    this.plot = new AxesPlot(
      container,
      { x: 'training step', y: 'pre-activation' },
      theme,
      (ctx, f) => this.#paint(ctx, f),
    );
    this.plot.onResize = () => {
      this.dirty = true;
      requestDraw();
    };
  }

  reset(depth, steps) {
    this.layers = Array.from({ length: depth }, () => ({ steps: [], q: [[], [], []] }));
    this.yRange = null;
    this.plot.setRanges(niceRange([0, steps], 0, 4), niceRange([-1, 1], 0, 4));
    this.dirty = true;
  }

  /** `quantiles`: per layer [q10, q50, q90] at `step`, or null once the network has diverged. */
  push(step, quantiles) {
    if (!quantiles) return;
    const span = [Infinity, -Infinity];
    quantiles.forEach((q, l) => {
      const layer = this.layers[l];
      if (!layer || !q.every(Number.isFinite)) return;
      layer.steps.push(step);
      q.forEach((v, k) => layer.q[k].push(v));
      span[0] = Math.min(span[0], q[0]);
      span[1] = Math.max(span[1], q[2]);
    });
    if (!(span[0] <= span[1])) return;
    const next = union(this.yRange, niceRange(span, 0.05, 4), 4);
    if (!sameRange(next, this.yRange)) {
      this.yRange = next;
      this.plot.setRanges(null, next);
    }
    this.dirty = true;
  }

  draw() {
    if (!this.dirty) return false;
    this.plot.draw();
    this.dirty = false;
    return true;
  }

  setTheme(theme) {
    this.plot.setTheme(theme);
    this.dirty = true;
  }

  #paint(ctx, { x, y }) {
    const colours = this.plot.theme.sets;
    const base = colours[this.index % colours.length];
    const depth = this.layers.length;
    this.layers.forEach((layer, l) => {
      const n = layer.steps.length;
      if (!n) return;
      const colour = withAlpha(base, depth === 1 ? 1 : 0.3 + (0.7 * l) / (depth - 1));
      const px = (k) => x.a + x.b * layer.steps[k];
      ctx.fillStyle = withAlpha(base, 0.1);
      ctx.beginPath();
      for (let k = 0; k < n; k++) ctx.lineTo(px(k), y.a + y.b * layer.q[2][k]);
      for (let k = n - 1; k >= 0; k--) ctx.lineTo(px(k), y.a + y.b * layer.q[0][k]);
      ctx.closePath();
      ctx.fill();
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.75;
      ctx.beginPath();
      for (let k = 0; k < n; k++) ctx.lineTo(px(k), y.a + y.b * layer.q[1][k]);
      ctx.stroke();
    });
  }

  destroy() {
    this.plot.destroy();
  }
}
