// A chart whose axes Chart.js lays out and draws, and whose marks (bars, points, statistics) the
// widget paints itself from typed arrays. A full Chart.js update (layout, ticks, labels) costs about
// 2 ms per chart in headless Chromium, too much for every animation frame; so Chart.js runs only
// when the axes, the size or the theme change, its drawing is kept as an image, and a frame
// restores that image and repaints the marks on top (about a tenth of the cost).
import { axis, baseOptions, mountChart } from './setup.js';

// Runs after every Chart.js drawing (update, resize, render): keeps the axes image, then paints.
const marksPlugin = {
  id: 'normMarks',
  afterDraw(chart) {
    chart.$plot?.afterChartDraw();
  },
};

export class Plot {
  /**
   * @param {HTMLElement} container  holds a <canvas> and has an explicit height
   * @param {{ x: string, y: string, yExtra?: object }} titles  axis titles; yExtra: more y-axis options
   * @param {ReturnType<import('./setup.js').readTheme>} theme
   * @param {(ctx: CanvasRenderingContext2D, chart: import('chart.js').Chart) => void} paint
   *   draws the marks in CSS pixels (the context is scaled for the device pixel ratio)
   */
  constructor(container, titles, theme, paint) {
    this.titles = titles;
    this.paint = paint;
    this.theme = theme;
    this.cache = document.createElement('canvas');
    this.cached = false;
    this.mounted = mountChart(container, {
      type: 'scatter',
      data: { datasets: [] },
      options: {
        ...baseOptions(),
        scales: { x: axis(theme, titles.x), y: axis(theme, titles.y, titles.yExtra) },
      },
      plugins: [marksPlugin],
    });
    this.chart.$plot = this;
  }

  get chart() {
    return this.mounted.chart;
  }

  get scales() {
    return this.chart.options.scales;
  }

  /** Lays the axes out again (after their options changed) and draws everything. */
  relayout() {
    this.chart.update('none');
  }

  /** Repaints the marks over the kept axes image; Chart.js draws only if there is none yet. */
  repaint() {
    const { chart, cache } = this;
    const canvas = chart.canvas;
    if (!this.cached || cache.width !== canvas.width || cache.height !== canvas.height) {
      chart.render();
      return;
    }
    const ctx = chart.ctx;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalCompositeOperation = 'copy';
    ctx.drawImage(cache, 0, 0);
    ctx.restore();
    this.#paintMarks(ctx);
  }

  /** New colours: the axes take them at once; the marks read this.theme when they paint. */
  setTheme(theme) {
    this.theme = theme;
    const { x, y } = this.scales;
    for (const [scale, title, extra] of [
      [x, this.titles.x, {}],
      [y, this.titles.y, this.titles.yExtra],
    ]) {
      const keep = {
        min: scale.min,
        max: scale.max,
        suggestedMax: scale.suggestedMax,
        beginAtZero: scale.beginAtZero,
      };
      const step = scale.ticks?.stepSize;
      const precision = scale.ticks?.precision;
      Object.assign(scale, axis(theme, title, { ...extra, ...keep }));
      scale.ticks.stepSize = step;
      scale.ticks.precision = precision;
    }
    this.relayout();
  }

  afterChartDraw() {
    const { chart, cache } = this;
    const canvas = chart.canvas;
    if (canvas.width < 1 || canvas.height < 1) return;
    if (cache.width !== canvas.width || cache.height !== canvas.height) {
      cache.width = canvas.width;
      cache.height = canvas.height;
    }
    const copy = cache.getContext('2d');
    copy.globalCompositeOperation = 'copy';
    copy.drawImage(canvas, 0, 0);
    this.cached = true;
    this.#paintMarks(chart.ctx);
  }

  #paintMarks(ctx) {
    ctx.save();
    this.paint(ctx, this.chart);
    ctx.restore();
  }

  destroy() {
    this.chart.$plot = null;
    this.mounted.destroy();
  }
}

/** The pixel position of a value on a linear scale as a + b·value (one multiply per point). */
export function pixelMap(scale) {
  const p0 = scale.getPixelForValue(scale.min);
  const p1 = scale.getPixelForValue(scale.max);
  const b = scale.max === scale.min ? 0 : (p1 - p0) / (scale.max - scale.min);
  return { a: p0 - b * scale.min, b };
}

/** What a paint callback starts from: the chart area and value-to-pixel maps for both axes; with
 * `clip`, later drawing is clipped to the chart area. */
export function paintFrame(ctx, chart, { clip = false } = {}) {
  const { chartArea: area, scales } = chart;
  if (clip) {
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    ctx.clip();
  }
  return { area, x: pixelMap(scales.x), y: pixelMap(scales.y) };
}
