// The training chart: per training step, each channel's batch statistic (noisy), the running
// estimate the core keeps, and the population value it should converge to. Chart.js draws the
// axes, laid out again only when a range changes (the step axis in blocks of 20 steps, the value
// axis only growing); the lines are painted over them (plot.js), so a step costs no layout.
import { niceRange, sameRange, union } from './bins.js';
import { Plot, paintFrame } from './plot.js';
import { fixRange } from './setup.js';

const STEP_BLOCK = 20;

export class TrainingChart {
  /**
   * @param {HTMLElement} container  holds a <canvas> and has an explicit height
   * @param {{ batch: string, running: string, title: string, population: number[], fromZero?: boolean }} series
   *   batch and running name the history fields to plot; fromZero starts the value axis at 0
   * @param {ReturnType<import('./setup.js').readTheme>} theme
   */
  constructor(container, series, theme) {
    this.series = series;
    this.history = null;
    this.channels = 0;
    this.xRange = null;
    this.yRange = null;
    this.plot = new Plot(container, { x: 'training step', y: series.title }, theme, (ctx, chart) =>
      this.#paint(ctx, chart),
    );
  }

  get chart() {
    return this.plot.chart;
  }

  /** Redraws from the widget state's history ({ step, <batch>[c], <running>[c] } per step) for `channels` channels. */
  draw(history, channels) {
    this.history = history;
    this.channels = channels;
    const first = history[0].step;
    const last = history[history.length - 1].step;
    const lo = Math.floor(first / STEP_BLOCK) * STEP_BLOCK;
    const xRange = [lo, Math.max(lo + STEP_BLOCK, Math.ceil(last / STEP_BLOCK) * STEP_BLOCK)];
    const span = [Infinity, -Infinity];
    const widen = (v) => {
      if (v < span[0]) span[0] = v;
      if (v > span[1]) span[1] = v;
    };
    const { batch, running, population, fromZero } = this.series;
    for (let ch = 0; ch < channels; ch++) {
      widen(population[ch]);
      for (const h of history) {
        widen(h[batch][ch]);
        widen(h[running][ch]);
      }
    }
    if (fromZero) widen(0);
    // A fresh history (step 0 again) starts a fresh value axis; otherwise it only grows.
    let yRange = history.length === 1 ? niceRange(span) : union(this.yRange, niceRange(span));
    if (fromZero && yRange[0] < 0) {
      const step = yRange.step;
      yRange = [0, yRange[1]]; // 0 is a tick: the range's ends are multiples of the step
      yRange.step = step;
    }
    const relayout = !sameRange(xRange, this.xRange) || !sameRange(yRange, this.yRange);
    this.xRange = xRange;
    this.yRange = yRange;
    if (relayout) {
      const { x, y } = this.plot.scales;
      fixRange(x, xRange);
      fixRange(y, yRange);
      this.plot.relayout();
    } else {
      this.plot.repaint();
    }
  }

  setTheme(theme) {
    this.plot.setTheme(theme);
  }

  #paint(ctx, chart) {
    const { history, channels } = this;
    if (!history) return;
    const theme = this.plot.theme;
    const { area, x, y } = paintFrame(ctx, chart, { clip: true });
    const { batch, running, population } = this.series;
    for (let ch = 0; ch < channels; ch++) {
      const colour = theme.sets[ch % theme.sets.length];
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      // Population: dashed, across the whole axis.
      const py = y.a + y.b * population[ch];
      ctx.lineWidth = 1.5;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(area.left, py);
      ctx.lineTo(area.right, py);
      ctx.stroke();
      ctx.setLineDash([]);
      // This batch: thin, with small points.
      ctx.lineWidth = 1;
      this.#line(ctx, x, y, batch, ch);
      ctx.beginPath();
      for (const h of history) {
        const px = x.a + x.b * h.step;
        const hy = y.a + y.b * h[batch][ch];
        ctx.moveTo(px + 1.5, hy);
        ctx.arc(px, hy, 1.5, 0, 2 * Math.PI);
      }
      ctx.fill();
      // Running estimate: thick; a single point (step 0) as a dot.
      ctx.lineWidth = 3;
      if (history.length > 1) {
        this.#line(ctx, x, y, running, ch);
      } else {
        ctx.beginPath();
        ctx.arc(
          x.a + x.b * history[0].step,
          y.a + y.b * history[0][running][ch],
          3,
          0,
          2 * Math.PI,
        );
        ctx.fill();
      }
    }
  }

  #line(ctx, x, y, field, ch) {
    ctx.beginPath();
    this.history.forEach((h, i) => {
      const px = x.a + x.b * h.step;
      const py = y.a + y.b * h[field][ch];
      if (i === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    });
    ctx.stroke();
  }

  destroy() {
    this.plot.destroy();
  }
}
