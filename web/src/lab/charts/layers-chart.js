// One network's pre-activations over training, per hidden layer: the median as a line and the
// 10th to 90th percentile as a band, in the layer's colour. Without normalisation the bands drift
// and widen with depth and training; with it they stay put.
import { niceRange, union, sameRange } from '../../widget/charts/bins.js';
import { withAlpha } from '../../widget/charts/setup.js';
import { Plot, paintFrame } from '../../widget/charts/plot.js';

export class LayersChart {
  constructor(container, theme) {
    this.layers = [];
    this.yRange = null;
    this.plot = new Plot(
      container,
      { x: 'training step', y: 'pre-activation' },
      theme,
      (ctx, chart) => this.#paint(ctx, chart),
    );
  }

  reset(depth, steps) {
    this.layers = Array.from({ length: depth }, () => ({ steps: [], q: [[], [], []] }));
    const { x } = this.plot.scales;
    x.min = 0;
    x.max = steps;
    this.yRange = null;
    this.dirty = 'layout';
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
      const { y } = this.plot.scales;
      y.min = next[0];
      y.max = next[1];
      y.ticks.stepSize = next.step;
      this.dirty = 'layout';
    } else this.dirty ||= 'paint';
  }

  draw() {
    if (!this.dirty) return false;
    if (this.dirty === 'layout') this.plot.relayout();
    else this.plot.repaint();
    this.dirty = false;
    return true;
  }

  setTheme(theme) {
    this.plot.setTheme(theme);
  }

  #paint(ctx, chart) {
    const { x, y } = paintFrame(ctx, chart, { clip: true });
    const colours = this.plot.theme.sets;
    this.layers.forEach((layer, l) => {
      const n = layer.steps.length;
      if (!n) return;
      const colour = colours[l % colours.length];
      const px = (k) => x.a + x.b * layer.steps[k];
      ctx.fillStyle = withAlpha(colour, 0.18);
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
