// One set's histogram (bars on a linear value axis) with the set's mean and mean ± std (or ± rms,
// for RMS norm) drawn over it. Chart.js draws the axes; the bars are painted per frame (plot.js).
import { countInto } from './bins.js';
import { Plot, paintFrame } from './plot.js';
import { fixRange, paintStatLines } from './setup.js';

export class Histogram {
  /**
   * @param {HTMLElement} container  holds a <canvas> and has an explicit height
   * @param {ReturnType<import('./setup.js').readTheme>} theme
   * @param {{ colour: number, spread?: 'std' | 'rms' }} options  colour: index into theme.sets;
   *   spread: the dashed lines at mean ± std, or at ± rms around zero
   */
  constructor(container, theme, { colour, spread = 'std' }) {
    this.colour = colour;
    this.counts = new Float64Array(0);
    this.lo = 0;
    this.width = 1;
    this.lines =
      spread === 'rms'
        ? [
            { value: 0, dash: false, label: 'μ' },
            { value: 0, dash: true, label: '−rms' },
            { value: 0, dash: true, label: '+rms' },
          ]
        : [
            { value: 0, dash: false, label: 'μ' },
            { value: 0, dash: true, label: '−σ' },
            { value: 0, dash: true, label: '+σ' },
          ];
    this.rms = spread === 'rms';
    this.overlay = { vertical: this.lines };
    this.plot = new Plot(
      container,
      { x: 'value', y: 'count', yExtra: { beginAtZero: true } },
      theme,
      (ctx, chart) => this.#paint(ctx, chart),
    );
    this.plot.scales.y.ticks.precision = 0; // counts are whole numbers
  }

  get chart() {
    return this.plot.chart;
  }

  /** Fixes the bins and axes (kept while one batch animates, so its movement is visible). */
  setRange(range, bins, yMax) {
    const [lo, hi] = range;
    this.lo = lo;
    this.width = (hi - lo) / bins;
    if (this.counts.length !== bins) this.counts = new Float64Array(bins);
    const { x, y } = this.plot.scales;
    fixRange(x, range);
    y.suggestedMax = yMax;
    this.plot.relayout();
  }

  /**
   * Counts values[offset + i * stride] (i < count) and repaints. `mean` and `spread` (std, or
   * rms) are the core's statistics of exactly these values.
   */
  draw(values, offset, stride, count, mean, spread) {
    const hi = this.lo + this.width * this.counts.length;
    countInto(values, offset, stride, count, this.lo, hi, this.counts);
    const [m, lower, upper] = this.lines;
    m.value = mean;
    lower.value = this.rms ? -spread : mean - spread;
    upper.value = this.rms ? spread : mean + spread;
    this.plot.repaint();
  }

  setTheme(theme) {
    this.plot.setTheme(theme);
  }

  #paint(ctx, chart) {
    const theme = this.plot.theme;
    const { area, x, y } = paintFrame(ctx, chart);
    const bottom = Math.min(area.bottom, y.a);
    ctx.beginPath();
    for (let k = 0; k < this.counts.length; k++) {
      const c = this.counts[k];
      if (c <= 0) continue;
      const x0 = x.a + x.b * (this.lo + k * this.width);
      const x1 = x0 + x.b * this.width;
      const top = Math.max(area.top, y.a + y.b * c);
      // A one-pixel gap between bars, as a border in the background colour would leave.
      ctx.rect(x0 + 0.5, top, Math.max(0.5, x1 - x0 - 1), bottom - top);
    }
    ctx.fillStyle = theme.sets[this.colour % theme.sets.length];
    ctx.fill();
    paintStatLines(ctx, chart, this.overlay, theme.stat, theme.font);
  }

  destroy() {
    this.plot.destroy();
  }
}
