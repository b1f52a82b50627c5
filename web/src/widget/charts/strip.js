// Every set side by side (per-example norms): one column per set, a dot per value (spread sideways
// so that they do not hide each other), with the set's mean and mean ± std (or ± rms) across its
// column. Shows at a glance that each set is centred and scaled on its own. Chart.js draws the
// axes; the dots and statistics are painted per frame (plot.js).
import { Plot, paintFrame } from './plot.js';
import { fixRange, withAlpha } from './setup.js';

const HALF = 0.4; // half a column's width, in sets

export class Strip {
  /**
   * @param {HTMLElement} container  holds a <canvas> and has an explicit height
   * @param {ReturnType<import('./setup.js').readTheme>} theme
   * @param {{ spread?: 'std' | 'rms' }} options  the dashed lines at mean ± std, or at ± rms around zero
   */
  constructor(container, theme, { spread = 'std' } = {}) {
    this.rms = spread === 'rms';
    this.sets = null;
    this.values = null;
    this.stats = null;
    this.jitter = new Float32Array(0);
    this.colours = new Map();
    this.plot = new Plot(container, { x: 'example', y: 'value' }, theme, (ctx, chart) =>
      this.#paint(ctx, chart),
    );
  }

  get chart() {
    return this.plot.chart;
  }

  /** One column per set of `sets` (sets.js), labelled by example (and channel or group). */
  setSets(sets) {
    this.sets = sets;
    if (this.jitter.length !== sets.length) {
      // A fixed sideways offset per position in the set (golden-ratio steps fill [-HALF, HALF] evenly).
      this.jitter = Float32Array.from(
        { length: sets.length },
        (_, i) => (((i * 0.6180339887) % 1) - 0.5) * 2 * HALF * 0.9,
      );
    }
    const { x } = this.plot.scales;
    x.min = -0.5;
    x.max = sets.count - 0.5;
    // A tick under each column (Chart.js would put them at the ends, ±0.5 from a column).
    x.afterBuildTicks = (scale) => {
      scale.ticks = Array.from({ length: sets.count }, (_, k) => ({ value: k }));
    };
    x.ticks.autoSkip = true;
    x.ticks.callback = (value) => {
      if (!Number.isInteger(value) || value < 0 || value >= sets.count) return '';
      const example = sets.example(value) + 1;
      return sets.perExample === 1
        ? String(example)
        : `${example}.${(value % sets.perExample) + 1}`;
    };
    x.grid.display = false;
    x.title.text = sets.axis;
    this.plot.titles.x = x.title.text;
  }

  setRange(range) {
    const { y } = this.plot.scales;
    fixRange(y, range);
    this.plot.relayout();
  }

  /** Repaints every set of `values`; `stats` are the core's per-set statistics of exactly these values. */
  draw(values, stats) {
    this.values = values;
    this.stats = stats;
    this.plot.repaint();
  }

  setTheme(theme) {
    this.colours.clear();
    this.plot.setTheme(theme);
    // setTheme rebuilt the x axis: put the set labels back.
    if (this.sets) {
      this.setSets(this.sets);
      this.plot.relayout();
    }
  }

  #dotColour(colour) {
    if (!this.colours.has(colour)) this.colours.set(colour, withAlpha(colour, 0.6));
    return this.colours.get(colour);
  }

  #paint(ctx, chart) {
    const { sets, values, stats, jitter } = this;
    if (!sets || !values || values.length !== sets.count * sets.length) return;
    const theme = this.plot.theme;
    const { area, x, y } = paintFrame(ctx, chart, { clip: true });
    // Thin lines between examples when an example has several sets.
    if (sets.perExample > 1) {
      ctx.strokeStyle = theme.grid;
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let k = sets.perExample; k < sets.count; k += sets.perExample) {
        const px = Math.round(x.a + x.b * (k - 0.5)) + 0.5;
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
      }
      ctx.stroke();
    }
    const r = Math.max(1.1, Math.min(2.2, (x.b * 2 * HALF) / 12));
    for (let k = 0; k < sets.count; k++) {
      const offset = k * sets.length;
      ctx.beginPath();
      for (let i = 0; i < sets.length; i++) {
        const px = x.a + x.b * (k + jitter[i]);
        const py = y.a + y.b * values[offset + i];
        ctx.moveTo(px + r, py);
        ctx.arc(px, py, r, 0, 2 * Math.PI);
      }
      ctx.fillStyle = this.#dotColour(theme.sets[sets.colour(k) % theme.sets.length]);
      ctx.fill();
    }
    if (!stats) return;
    ctx.strokeStyle = theme.stat;
    const across = (k, value) => {
      if (!Number.isFinite(value)) return;
      const py = y.a + y.b * value;
      ctx.moveTo(x.a + x.b * (k - HALF), py);
      ctx.lineTo(x.a + x.b * (k + HALF), py);
    };
    ctx.lineWidth = 2;
    ctx.setLineDash([]);
    ctx.beginPath();
    for (let k = 0; k < sets.count; k++) across(k, stats.mean[k]);
    ctx.stroke();
    ctx.lineWidth = 1.25;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    for (let k = 0; k < sets.count; k++) {
      const m = stats.mean[k];
      const d = this.rms ? stats.rms[k] : stats.std[k];
      across(k, this.rms ? -d : m - d);
      across(k, this.rms ? d : m + d);
    }
    ctx.stroke();
  }

  destroy() {
    this.plot.destroy();
  }
}
