// Draws the state: two histograms and a scatter of the values on screen (tweened by the
// animator), with the core's statistics of exactly those values, and the training charts.
import { Animator } from './animator.js';
import { emptyStats, STAGES } from './engine.js';
import { CHANNEL_MEANS, CHANNEL_STDS, CHANNELS } from './population.js';
import { binCount, countInto, extendExtent, niceRange, union } from './charts/bins.js';
import { Histogram } from './charts/histogram.js';
import { Scatter } from './charts/scatter.js';
import { readTheme } from './charts/setup.js';
import { TrainingChart } from './charts/training.js';

const prefersReducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

export class WidgetView {
  /**
   * @param {ReturnType<import('./template.js').buildUi>} ui
   * @param {HTMLElement} host  the element, whose CSS custom properties hold the theme
   * @param {ReturnType<import('./engine.js').createEngine>} engine
   * @param {{ onFrame: () => void }} hooks  onFrame runs after each animation frame that redraws
   */
  constructor(ui, host, engine, hooks) {
    this.host = host;
    this.engine = engine;
    this.hooks = hooks;
    const theme = readTheme(host);
    const boxes = ui.chartBoxes;
    this.histograms = [0, 1].map((ch) => new Histogram(boxes[`hist-${ch}`], theme, { colour: ch }));
    this.scatter = new Scatter(boxes.scatter, theme);
    this.training = [
      new TrainingChart(boxes['train-mean'], { batch: 'batchMean', running: 'runningMean', title: 'mean', population: CHANNEL_MEANS }, theme),
      new TrainingChart(boxes['train-std'], { batch: 'batchStd', running: 'runningStd', title: 'std', population: CHANNEL_STDS, fromZero: true }, theme),
    ];
    this.shownStats = emptyStats();
    this.axes = null; // { ranges: [[lo, hi] per channel], bins, yMax: [per channel] }
    this.animator = new Animator({
      render: (values, frame) => this.#draw(values, frame),
      reducedMotion: prefersReducedMotion,
    });
  }

  get reducedMotion() {
    return prefersReducedMotion();
  }

  /**
   * Shows the state's current stage array, moving to it over `ms`. `grow` keeps the axes at
   * least as wide as before (while playing, so batches do not make them jump).
   */
  show(state, { ms, grow = false, rescale = true }) {
    if (rescale || !this.axes) this.#fitAxes(state, grow);
    if (ms > 0 && this.animator.displayed) this.animator.tweenTo(state.current, ms);
    else this.animator.jumpTo(state.current);
  }

  showTraining(state) {
    for (const chart of this.training) chart.draw(state.history);
  }

  /** Re-reads the theme (colour scheme changed) and redraws. */
  refreshTheme(state) {
    const theme = readTheme(this.host);
    for (const chart of [...this.histograms, this.scatter, ...this.training]) chart.setTheme(theme);
    this.showTraining(state);
    if (this.animator.displayed) this.#draw(this.animator.displayed, false);
  }

  destroy() {
    this.animator.stop();
    for (const chart of [...this.histograms, this.scatter, ...this.training]) chart.destroy();
  }

  // Axis ranges that hold every stage of this batch, so the reader sees the values move.
  #fitAxes(state, grow) {
    const arrays = STAGES.map((s) => state.stages[s]);
    const bins = binCount(state.n);
    const keep = grow && this.axes && this.axes.bins === bins;
    const ranges = [];
    const yMax = [];
    for (let ch = 0; ch < CHANNELS; ch++) {
      const span = [Infinity, -Infinity];
      for (const values of arrays) extendExtent(span, values, ch, CHANNELS, state.n);
      const range = keep ? union(this.axes.ranges[ch], niceRange(span)) : niceRange(span);
      const counts = new Float64Array(bins);
      let most = 1;
      for (const values of arrays) {
        countInto(values, ch, CHANNELS, state.n, range[0], range[1], counts);
        for (const c of counts) most = Math.max(most, c);
      }
      ranges.push(range);
      yMax.push(keep ? Math.max(this.axes.yMax[ch], most) : most);
    }
    const same = this.axes && this.axes.bins === bins &&
      ranges.every((r, ch) => r[0] === this.axes.ranges[ch][0] && r[1] === this.axes.ranges[ch][1]) &&
      yMax.every((y, ch) => y === this.axes.yMax[ch]);
    if (same) return;
    this.axes = { ranges, bins, yMax };
    this.histograms.forEach((h, ch) => h.setRange(ranges[ch], bins, yMax[ch]));
    this.scatter.setRanges(ranges[0], ranges[1]);
  }

  #draw(values, frame) {
    const n = values.length / CHANNELS;
    const stats = this.engine.statsInto(values, n, this.shownStats);
    this.histograms.forEach((h, ch) => h.draw(values, ch, CHANNELS, n, stats.mean[ch], stats.std[ch]));
    this.scatter.draw(values, CHANNELS, stats.mean, stats.std);
    if (frame) this.hooks.onFrame();
  }
}
