// A chart of one quantity over training, one line per network (loss, accuracy, the landscape
// measures). The step axis spans the run's step budget; the value axis only grows, so the lines
// do not jump about as points arrive.
import { niceRange, union, sameRange } from '../../widget/charts/bins.js';
import { AxesPlot } from './axes-plot.js';

export class SeriesChart {
  /**
   * @param {HTMLElement} container  holds a <canvas> and has an explicit height
   * @param {{ title: string, fixed?: [number, number], fromZero?: boolean }} options
   *   fixed: a value axis that never changes (accuracy 0..1); fromZero: the axis starts at 0
   */
  constructor(container, options, theme, requestDraw = () => {}) {
    this.options = options;
    this.lines = [];
    this.xRange = null;
    this.yRange = null;
    this.plot = new AxesPlot(container, { x: 'training step', y: options.title }, theme, (ctx, f) =>
      this.#paint(ctx, f),
    );
    this.plot.onResize = () => {
      this.dirty = true;
      requestDraw();
    };
    if (options.fixed) this.#setY(Object.assign([...options.fixed], { step: 0.2 }));
  }

  /** A fresh run: no lines, the step axis from 0 to `steps`. */
  reset(count, steps) {
    this.lines = Array.from({ length: count }, () => ({ steps: [], values: [] }));
    this.plot.setRanges(niceRange([0, steps], 0, 4), null);
    if (!this.options.fixed) this.#setY(niceRange([0, 1], 0, 4));
    this.yRange = this.options.fixed ? this.yRange : null;
    this.dirty = true;
  }

  /** Appends one point per network; non-finite values are skipped (a diverged network stops). */
  push(step, values) {
    values.forEach((v, i) => {
      if (!Number.isFinite(v) || !this.lines[i]) return;
      this.lines[i].steps.push(step);
      this.lines[i].values.push(v);
    });
    if (this.options.fixed) {
      this.dirty = true;
      return;
    }
    const span = [Infinity, -Infinity];
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      span[0] = Math.min(span[0], v);
      span[1] = Math.max(span[1], v);
    }
    if (this.options.fromZero) span[0] = 0;
    if (!(span[0] <= span[1])) {
      this.dirty = true;
      return;
    }
    let next = union(this.yRange, niceRange(span, 0.05, 4), 4);
    if (this.options.fromZero && next[0] < 0)
      next = Object.assign([0, next[1]], { step: next.step });
    if (!sameRange(next, this.yRange)) {
      this.#setY(next);
    }
    this.dirty = true;
  }

  #setY(range) {
    this.yRange = range;
    this.plot.setRanges(null, range);
  }

  /** Draws what changed since the last draw; returns whether anything was drawn. */
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
    ctx.lineWidth = 2;
    ctx.lineJoin = 'round';
    this.lines.forEach((line, i) => {
      if (!line.steps.length) return;
      ctx.strokeStyle = colours[i % colours.length];
      ctx.setLineDash(i % 2 ? [6, 3] : []);
      ctx.beginPath();
      for (let k = 0; k < line.steps.length; k++) {
        const px = x.a + x.b * line.steps[k];
        const py = y.a + y.b * line.values[k];
        if (k === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      }
      if (line.steps.length === 1)
        ctx.arc(x.a + x.b * line.steps[0], y.a + y.b * line.values[0], 2, 0, 7);
      ctx.stroke();
    });
    ctx.setLineDash([]);
  }

  destroy() {
    this.plot.destroy();
  }
}
