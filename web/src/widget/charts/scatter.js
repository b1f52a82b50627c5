// The first two channels against each other, one point per example, with their means and a
// mean ± std box drawn over it. Chart.js draws the axes; the points are painted per frame (plot.js).
import { Plot, paintFrame } from './plot.js';
import { fixRange, paintStatLines, withAlpha } from './setup.js';

export class Scatter {
  /**
   * @param {HTMLElement} container  holds a <canvas> and has an explicit height
   * @param {ReturnType<import('./setup.js').readTheme>} theme
   */
  constructor(container, theme) {
    this.values = null;
    this.stride = 2;
    this.n = 0;
    this.box = { x0: 0, x1: 0, y0: 0, y1: 0 };
    this.overlay = {
      vertical: [{ value: 0, dash: false, label: 'μ₁' }],
      horizontal: [{ value: 0, dash: false, label: 'μ₂' }],
    };
    this.plot = new Plot(container, { x: 'channel 1', y: 'channel 2' }, theme, (ctx, chart) =>
      this.#paint(ctx, chart),
    );
  }

  get chart() {
    return this.plot.chart;
  }

  setRanges(xRange, yRange) {
    const { x, y } = this.plot.scales;
    for (const [scale, range] of [
      [x, xRange],
      [y, yRange],
    ]) {
      fixRange(scale, range);
    }
    this.plot.relayout();
  }

  /**
   * Repaints the points of channels 1 and 2 of `values` ([n, stride]); means and stds are the
   * core's statistics of them.
   */
  draw(values, stride, [mx, my], [sx, sy]) {
    this.values = values;
    this.stride = stride;
    this.n = values.length / stride;
    this.overlay.vertical[0].value = mx;
    this.overlay.horizontal[0].value = my;
    Object.assign(this.box, { x0: mx - sx, x1: mx + sx, y0: my - sy, y1: my + sy });
    this.plot.repaint();
  }

  setTheme(theme) {
    this.plot.setTheme(theme);
  }

  #paint(ctx, chart) {
    const { values, stride, n } = this;
    if (!values) return;
    const theme = this.plot.theme;
    ctx.save();
    const { x, y } = paintFrame(ctx, chart, { clip: true });
    // Smaller, fainter dots as the batch grows, so that a cloud of 1,024 stays readable. One path
    // for all points: a single fill instead of one per point.
    const r = n > 256 ? 1.6 : n > 64 ? 2.2 : 3;
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      const px = x.a + x.b * values[i * stride];
      const py = y.a + y.b * values[i * stride + 1];
      ctx.moveTo(px + r, py);
      ctx.arc(px, py, r, 0, 2 * Math.PI);
    }
    const alpha = n > 256 ? 0.45 : n > 64 ? 0.7 : 0.9;
    if (this.dotKey !== `${theme.fg} ${alpha}`) {
      this.dotKey = `${theme.fg} ${alpha}`;
      this.dotColour = withAlpha(theme.fg, alpha);
    }
    ctx.fillStyle = this.dotColour;
    ctx.fill();
    const box = this.box;
    if ([box.x0, box.x1, box.y0, box.y1].every(Number.isFinite)) {
      const x0 = x.a + x.b * box.x0;
      const x1 = x.a + x.b * box.x1;
      const y0 = y.a + y.b * box.y0;
      const y1 = y.a + y.b * box.y1;
      ctx.strokeStyle = theme.stat;
      ctx.lineWidth = 1.25;
      ctx.setLineDash([5, 4]);
      ctx.strokeRect(x0, y1, x1 - x0, y0 - y1);
    }
    ctx.restore();
    paintStatLines(ctx, chart, this.overlay, theme.stat, theme.font);
  }

  destroy() {
    this.plot.destroy();
  }
}
