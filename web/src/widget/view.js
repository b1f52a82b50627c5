// Draws the state: a histogram per set (up to MAX_HISTOGRAMS), the wide chart (batch norm: the
// first two channels against each other; the other norms: every set side by side), tweened by the
// animator, with the statistics the state keeps for the stage shown; and the training charts of a
// norm with running statistics. Drawing calls no core function: the values and their statistics
// are tweened together (a mean moves exactly with the values; a spread moves linearly between
// its two exact ends).
import { Animator } from './animator.js';
import { CHANNEL_MEANS, CHANNEL_STDS } from './population.js';
import { MAX_HISTOGRAMS } from './sets.js';
import { binCount, countInto, extendExtent, niceRange, sameRange, union } from './charts/bins.js';
import { Histogram } from './charts/histogram.js';
import { Scatter } from './charts/scatter.js';
import { readTheme } from './charts/setup.js';
import { Strip } from './charts/strip.js';
import { TrainingChart } from './charts/training.js';
import { channelNote, histogramFigure } from './template.js';

const prefersReducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

export class WidgetView {
  /**
   * @param {ReturnType<import('./template.js').buildUi>} ui
   * @param {HTMLElement} host  the element, whose CSS custom properties hold the theme
   * @param {ReturnType<import('./engine.js').createEngine>} engine
   * @param {{ onFrame: () => void }} hooks  onFrame runs after each animation frame that redraws
   */
  constructor(ui, host, engine, hooks) {
    this.ui = ui;
    this.host = host;
    this.engine = engine;
    this.hooks = hooks;
    this.norm = engine.norm;
    // Sets that span the batch (batch norm's channels) get a scatter of two channels and a range
    // each; per-example sets share one range and a strip chart.
    this.batch = !engine.description.perExample;
    this.spread = engine.description.spread;
    this.theme = readTheme(host);
    this.histograms = [];
    this.layoutKey = null;
    this.sets = null;
    this.params = null;
    this.wide = this.batch
      ? new Scatter(ui.wideBox, this.theme)
      : new Strip(ui.wideBox, this.theme, { spread: this.spread });
    this.training = [];
    if (engine.description.runningStats) {
      const [meanBox, stdBox] = ui.trainingBoxes;
      this.training = [
        new TrainingChart(
          meanBox,
          { batch: 'batchMean', running: 'runningMean', title: 'mean', population: CHANNEL_MEANS },
          this.theme,
        ),
        new TrainingChart(
          stdBox,
          {
            batch: 'batchStd',
            running: 'runningStd',
            title: 'std',
            population: CHANNEL_STDS,
            fromZero: true,
          },
          this.theme,
        ),
      ];
    }
    // { key, ranges: [[lo, hi] per histogram], bins, yMax: [per histogram], wide }
    this.axes = null;
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
    this.params = state.params;
    const relaid = this.#layoutSets(state);
    if (rescale || relaid || !this.axes) this.#fitAxes(state, grow && !relaid);
    const target = this.#packed(state);
    if (ms > 0 && this.animator.displayed && !relaid) this.animator.tweenTo(target, ms);
    else this.animator.jumpTo(target);
  }

  // The values of the stage shown, then each set's mean, then its spread (std or rms): one array,
  // so that the animator moves the statistics with the values.
  #packed(state) {
    const values = state.current;
    const stats = state.currentStats;
    const { count } = this.sets;
    const packed = new Float32Array(values.length + 2 * count);
    packed.set(values);
    packed.set(stats.mean, values.length);
    packed.set(this.spread === 'rms' ? stats.rms : stats.std, values.length + count);
    return packed;
  }

  showTraining(state) {
    if (!state.hasRunning) return;
    const c = state.shape.c;
    for (const chart of this.training) chart.draw(state.history, c);
  }

  /** Re-reads the theme (colour scheme changed) and redraws. */
  refreshTheme(state) {
    this.theme = readTheme(this.host);
    for (const chart of this.#charts()) chart.setTheme(this.theme);
    this.showTraining(state);
    if (this.animator.displayed) this.#draw(this.animator.displayed, false);
  }

  destroy() {
    this.animator.stop();
    for (const chart of this.#charts()) chart.destroy();
  }

  #charts() {
    return [...this.histograms.map((h) => h.chart), this.wide, ...this.training];
  }

  // One histogram per set, up to MAX_HISTOGRAMS, made again only when the sets change (batch size
  // or groups of a per-example norm). Returns whether it made them again.
  #layoutSets(state) {
    const sets = state.sets;
    const shown = Math.min(sets.count, MAX_HISTOGRAMS);
    const key = `${sets.count} ${sets.length} ${sets.perExample}`;
    this.sets = sets;
    if (key === this.layoutKey) return false;
    this.layoutKey = key;
    for (const h of this.histograms) {
      h.chart.destroy();
      h.figure.remove();
    }
    this.histograms = [];
    this.ui.sets.dataset.count = String(shown);
    for (let k = 0; k < shown; k++) {
      const note = this.batch ? channelNote(k) : sets.note(k);
      const { figure, box } = histogramFigure(sets.label(k), note);
      this.ui.sets.append(figure);
      const chart = new Histogram(box, this.theme, { colour: sets.colour(k), spread: this.spread });
      this.histograms.push({ chart, figure, k });
    }
    if (!this.batch) this.wide.setSets(sets);
    this.axes = null;
    return true;
  }

  // Axis ranges that hold every stage of this batch, so the reader sees the values move. Batch
  // norm: a range per channel (channels differ by design); the other norms: one range for all
  // sets, so that their differences before normalisation, and their likeness after, show, with
  // bins narrow enough to resolve a normalised set (std 1, or |γ|) on that wider range.
  #fitAxes(state, grow) {
    const sets = this.sets;
    const arrays = this.engine.stages.map((s) => state.stages[s]);
    const intervals = this.histograms.length > 2 ? 4 : 5; // small charts: fewer ticks
    const before = grow ? this.axes : null;
    const spanOf = (k, span = [Infinity, -Infinity]) => {
      for (const values of arrays)
        extendExtent(span, values, sets.offset(k), sets.stride, sets.length);
      return span;
    };
    const mostOf = (k, range, counts) => {
      let most = 1;
      for (const values of arrays) {
        countInto(values, sets.offset(k), sets.stride, sets.length, range[0], range[1], counts);
        for (const c of counts) most = Math.max(most, c);
      }
      return most;
    };
    const grown = (old, span) =>
      old
        ? union(old, niceRange(span, 0.03, intervals), intervals)
        : niceRange(span, 0.03, intervals);
    let bins;
    const ranges = [];
    const yMax = [];
    let wide;
    if (this.batch) {
      bins = binCount(sets.length);
      const keep = before?.bins === bins;
      const counts = new Float64Array(bins);
      for (const { k } of this.histograms) {
        const range = grown(keep ? before.ranges[k] : null, spanOf(k));
        ranges.push(range);
        yMax.push(Math.max(keep ? before.yMax[k] : 1, mostOf(k, range, counts)));
      }
      wide = ranges.slice(0, 2);
    } else {
      const span = [Infinity, -Infinity];
      for (let k = 0; k < sets.count; k++) spanOf(k, span);
      const range = grown(before?.wide[0], span);
      // γ is per channel: the narrowest normalised set (smallest |γ_c|) sets the bin width.
      const gain = Math.min(...state.params.gamma.map(Math.abs));
      const target = 0.4 * Math.max(0.1, Math.min(1, gain));
      const most = Math.max(binCount(sets.length), Math.min(48, Math.floor(sets.length / 2)));
      bins = Math.min(
        most,
        Math.max(binCount(sets.length), Math.ceil((range[1] - range[0]) / target)),
      );
      const keep = before?.bins === bins;
      const counts = new Float64Array(bins);
      // Each histogram's own count axis: a set with a small spread would flatten the others.
      for (const { k } of this.histograms) {
        ranges.push(range);
        yMax.push(Math.max(keep ? before.yMax[k] : 1, mostOf(k, range, counts)));
      }
      wide = [range];
    }
    const old = this.axes;
    this.axes = { ranges, bins, yMax, wide };
    // The ranges and bin count drawn, for tests and tools: they change only on a refit.
    this.ui.charts.dataset.axes = JSON.stringify({ ranges, wide, bins });
    this.histograms.forEach(({ chart }, i) => {
      if (
        old &&
        old.bins === bins &&
        sameRange(old.ranges[i], ranges[i]) &&
        old.yMax[i] === yMax[i]
      )
        return;
      chart.setRange(ranges[i], bins, yMax[i]);
    });
    if (old && wide.every((r, i) => sameRange(r, old.wide[i]))) return;
    if (this.batch) this.wide.setRanges(wide[0], wide[1]);
    else this.wide.setRange(wide[0]);
  }

  #draw(packed, frame) {
    const { sets } = this;
    const { count } = sets;
    const length = packed.length - 2 * count;
    const values = packed.subarray(0, length);
    const mean = packed.subarray(length, length + count);
    const spread = packed.subarray(length + count);
    for (const { chart, k } of this.histograms) {
      chart.draw(values, sets.offset(k), sets.stride, sets.length, mean[k], spread[k]);
    }
    if (this.batch) this.wide.draw(values, count, mean, spread);
    else this.wide.draw(values, { mean, std: spread, rms: spread });
    if (frame) this.hooks.onFrame();
  }
}
