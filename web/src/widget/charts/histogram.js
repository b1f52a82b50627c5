// One channel's histogram (Chart.js bars on a linear axis) with the batch mean and mean ± std
// drawn over it.
import { axis, baseOptions, fixRange, mountChart, statOverlay } from './setup.js';
import { countInto } from './bins.js';

export class Histogram {
  /**
   * @param {HTMLElement} container  holds a <canvas> and has an explicit height
   * @param {number} channel
   * @param {ReturnType<import('./setup.js').readTheme>} theme
   */
  constructor(container, channel, theme) {
    this.channel = channel;
    this.counts = new Float64Array(0);
    this.lo = 0;
    this.width = 1;
    this.mounted = mountChart(container, {
      type: 'bar',
      data: {
        datasets: [{
          data: [],
          categoryPercentage: 1,
          barPercentage: 1,
          borderWidth: 1,
          backgroundColor: theme.channels[channel],
          borderColor: theme.bg,
        }],
      },
      options: {
        ...baseOptions(theme),
        scales: { x: axis(theme, 'value'), y: axis(theme, 'count', { beginAtZero: true }) },
      },
      plugins: [statOverlay],
    });
    this.setTheme(theme);
  }

  get chart() {
    return this.mounted.chart;
  }

  /** Fixes the bins and axes (kept while one batch animates, so its movement is visible). */
  setRange(range, bins, yMax) {
    const [lo, hi] = range;
    this.lo = lo;
    this.width = (hi - lo) / bins;
    this.counts = new Float64Array(bins);
    this.chart.data.datasets[0].data = Array.from({ length: bins }, (_, k) => ({ x: lo + (k + 0.5) * this.width, y: 0 }));
    fixRange(this.chart.options.scales.x, range);
    this.chart.options.scales.y.suggestedMax = yMax;
  }

  /** Counts and redraws; `stats` are the core's mean and std of exactly these values. */
  draw(values, channels, stats) {
    const hi = this.lo + this.width * this.counts.length;
    countInto(values, this.channel, channels, this.lo, hi, this.counts);
    const data = this.chart.data.datasets[0].data;
    for (let k = 0; k < data.length; k++) data[k].y = this.counts[k];
    const mean = stats.mean[this.channel];
    const std = stats.std[this.channel];
    this.chart.$overlay = {
      color: this.theme.stat,
      font: this.theme.font,
      vertical: [
        { value: mean, dash: false, label: 'μ' },
        { value: mean - std, dash: true, label: '−σ' },
        { value: mean + std, dash: true, label: '+σ' },
      ],
    };
    this.chart.update('none');
  }

  setTheme(theme) {
    this.theme = theme;
    const dataset = this.chart.data.datasets[0];
    dataset.backgroundColor = theme.channels[this.channel];
    dataset.borderColor = theme.bg;
    const { x, y } = this.chart.options.scales;
    const keep = (scale) => ({ min: scale.min, max: scale.max, suggestedMax: scale.suggestedMax, beginAtZero: scale.beginAtZero });
    const step = x.ticks?.stepSize;
    Object.assign(x, axis(theme, 'value', keep(x)));
    x.ticks.stepSize = step;
    Object.assign(y, axis(theme, 'count', keep(y)));
    y.ticks.precision = 0; // counts are whole numbers
    // A full update: with update('none') Chart.js keeps the elements' old shared options.
    this.chart.update();
  }

  destroy() {
    this.mounted.destroy();
  }
}
