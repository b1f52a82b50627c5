// The two channels against each other, one point per example, with the batch means and a
// mean ± std box drawn over it.
import { axis, baseOptions, fixRange, mountChart, statOverlay, withAlpha } from './setup.js';

export class Scatter {
  /**
   * @param {HTMLElement} container  holds a <canvas> and has an explicit height
   * @param {ReturnType<import('./setup.js').readTheme>} theme
   */
  constructor(container, theme) {
    this.mounted = mountChart(container, {
      type: 'scatter',
      data: { datasets: [{ data: [], pointRadius: 2.5, borderWidth: 0 }] },
      options: {
        ...baseOptions(theme),
        scales: { x: axis(theme, 'channel 1'), y: axis(theme, 'channel 2') },
      },
      plugins: [statOverlay, boxOverlay],
    });
    this.setTheme(theme);
  }

  get chart() {
    return this.mounted.chart;
  }

  setRanges(xRange, yRange) {
    fixRange(this.chart.options.scales.x, xRange);
    fixRange(this.chart.options.scales.y, yRange);
  }

  /** Redraws the points of `values` ([n, 2]); `stats` are the core's mean and std of them. */
  draw(values, channels, stats) {
    const n = values.length / channels;
    const dataset = this.chart.data.datasets[0];
    const resized = dataset.data.length !== n;
    if (resized) dataset.data = Array.from({ length: n }, () => ({ x: 0, y: 0 }));
    const points = dataset.data;
    for (let i = 0; i < n; i++) {
      points[i].x = values[i * channels];
      points[i].y = values[i * channels + 1];
    }
    const [mx, my] = stats.mean;
    const [sx, sy] = stats.std;
    this.chart.$overlay = {
      color: this.theme.stat,
      font: this.theme.font,
      vertical: [{ value: mx, dash: false, label: 'μ₁' }],
      horizontal: [{ value: my, dash: false, label: 'μ₂' }],
    };
    this.chart.$box = { x0: mx - sx, x1: mx + sx, y0: my - sy, y1: my + sy, color: this.theme.stat };
    if (resized) {
      this.#stylePoints();
      this.chart.update(); // see setTheme: new point options need a full update
    } else {
      this.chart.update('none');
    }
  }

  // Smaller, fainter dots as the batch grows, so that a cloud of 1,024 stays readable.
  #stylePoints() {
    const dataset = this.chart.data.datasets[0];
    const n = dataset.data.length;
    dataset.pointRadius = n > 256 ? 1.6 : n > 64 ? 2.2 : 3;
    dataset.backgroundColor = withAlpha(this.theme.fg, n > 256 ? 0.45 : n > 64 ? 0.7 : 0.9);
  }

  setTheme(theme) {
    this.theme = theme;
    this.#stylePoints();
    const { x, y } = this.chart.options.scales;
    for (const [scale, title] of [[x, 'channel 1'], [y, 'channel 2']]) {
      const step = scale.ticks?.stepSize;
      Object.assign(scale, axis(theme, title, { min: scale.min, max: scale.max }));
      scale.ticks.stepSize = step;
    }
    // A full update: with update('none') Chart.js keeps the elements' old shared options.
    this.chart.update();
  }

  destroy() {
    this.mounted.destroy();
  }
}

// The mean ± std rectangle: one standard deviation of each channel around the batch mean.
const boxOverlay = {
  id: 'normStdBox',
  afterDatasetsDraw(chart) {
    const box = chart.$box;
    if (!box || ![box.x0, box.x1, box.y0, box.y1].every(Number.isFinite)) return;
    const { ctx, chartArea: area, scales } = chart;
    const x0 = scales.x.getPixelForValue(box.x0);
    const x1 = scales.x.getPixelForValue(box.x1);
    const y0 = scales.y.getPixelForValue(box.y0);
    const y1 = scales.y.getPixelForValue(box.y1);
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    ctx.clip();
    ctx.strokeStyle = box.color;
    ctx.lineWidth = 1.25;
    ctx.setLineDash([5, 4]);
    ctx.strokeRect(x0, y1, x1 - x0, y0 - y1);
    ctx.restore();
  },
};
