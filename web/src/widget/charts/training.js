// The training chart: per training step, each channel's batch statistic (noisy), the running
// estimate the core keeps, and the population value it should converge to.
import { axis, baseOptions, mountChart } from './setup.js';

export class TrainingChart {
  /**
   * @param {HTMLElement} container  holds a <canvas> and has an explicit height
   * @param {{ batch: string, running: string, title: string, population: number[], fromZero?: boolean }} series
   *   batch and running name the history fields to plot; fromZero starts the value axis at 0
   * @param {ReturnType<import('./setup.js').readTheme>} theme
   */
  constructor(container, series, theme) {
    this.series = series;
    this.channels = 0;
    this.mounted = mountChart(container, {
      type: 'line',
      data: { datasets: [] },
      options: {
        ...baseOptions(theme),
        scales: { x: axis(theme, 'training step'), y: axis(theme, series.title, { beginAtZero: series.fromZero }) },
      },
    });
    this.setTheme(theme);
  }

  get chart() {
    return this.mounted.chart;
  }

  // Three lines per channel: the population value, each batch's statistic, the running estimate.
  #makeDatasets(channels) {
    const datasets = [];
    for (let ch = 0; ch < channels; ch++) {
      datasets.push(
        { role: 'population', channel: ch, data: [], borderWidth: 1.5, borderDash: [6, 4], pointRadius: 0 },
        { role: 'batch', channel: ch, data: [], borderWidth: 1, pointRadius: 1.5 },
        { role: 'running', channel: ch, data: [], borderWidth: 3, pointRadius: (c) => (c.dataset.data.length > 1 ? 0 : 3) },
      );
    }
    this.chart.data.datasets = datasets;
    this.channels = channels;
    this.#colour();
  }

  /** Redraws from the widget state's history ({ step, <batch>[c], <running>[c] } per step) for `channels` channels. */
  draw(history, channels) {
    const fresh = channels !== this.channels;
    if (fresh) this.#makeDatasets(channels);
    const first = history[0].step;
    const last = history[history.length - 1].step;
    const end = Math.max(last, first + 20);
    for (const dataset of this.chart.data.datasets) {
      const ch = dataset.channel;
      if (dataset.role === 'population') {
        const v = this.series.population[ch];
        dataset.data = [{ x: first, y: v }, { x: end, y: v }];
      } else {
        const field = this.series[dataset.role];
        dataset.data = history.map((h) => ({ x: h.step, y: h[field][ch] }));
      }
    }
    Object.assign(this.chart.options.scales.x, { min: first, max: end });
    // New datasets need a full update (their options are resolved once).
    this.chart.update(fresh ? undefined : 'none');
  }

  #colour() {
    for (const dataset of this.chart.data.datasets) {
      const colour = this.theme.sets[dataset.channel % this.theme.sets.length];
      dataset.borderColor = colour;
      dataset.backgroundColor = colour;
    }
  }

  setTheme(theme) {
    this.theme = theme;
    this.#colour();
    const { x, y } = this.chart.options.scales;
    Object.assign(x, axis(theme, 'training step', { min: x.min, max: x.max }));
    Object.assign(y, axis(theme, this.series.title, { beginAtZero: this.series.fromZero }));
    // A full update: with update('none') Chart.js keeps the elements' old shared options.
    this.chart.update();
  }

  destroy() {
    this.mounted.destroy();
  }
}
