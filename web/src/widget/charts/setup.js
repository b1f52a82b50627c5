// Chart.js for the widget: registers only the pieces the charts use, and holds what they share
// (base options, theme colours, the statistics lines drawn over a plot).
import { color } from 'chart.js/helpers';
import { Chart, LinearScale, ScatterController } from 'chart.js';

// Only axes: every chart is a scatter chart without datasets whose marks the widget paints (plot.js).
Chart.register(ScatterController, LinearScale);

export { Chart };

const SET_COLOURS = [
  '#1f5fa8',
  '#a4540a',
  '#2e7d32',
  '#7b3fa0',
  '#00838f',
  '#ad1457',
  '#5d6d00',
  '#4e5aa8',
];

/**
 * Reads the theme from the host's CSS custom properties (web/src/theme.css documents them), so a host page
 * can restyle the charts with CSS alone.
 * @param {Element} host
 */
export function readTheme(host) {
  const css = getComputedStyle(host);
  const get = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  return {
    fg: get('--norm-widget-fg', '#1f2328'),
    muted: get('--norm-widget-muted', '#59606a'),
    grid: get('--norm-widget-grid', 'rgb(0 0 0 / 0.1)'),
    bg: get('--norm-widget-bg', '#ffffff'),
    stat: get('--norm-widget-stat', '#b3261e'),
    // One colour per set (channel, example or group); theme.css gives all eight defaults.
    sets: SET_COLOURS.map((fallback, i) => get(`--norm-widget-accent-${i + 1}`, fallback)),
    font: css.fontFamily || 'system-ui, sans-serif',
  };
}

/** `css` at opacity `alpha`, or `css` itself when Chart.js cannot parse it (e.g. a custom theme colour). */
export function withAlpha(css, alpha) {
  const parsed = color(css);
  return parsed.valid ? parsed.alpha(alpha).rgbString() : css;
}

/** Options every chart shares: no Chart.js animation or parsing, sized by our own ResizeObserver. */
export function baseOptions() {
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: false,
    maintainAspectRatio: false,
    events: [],
    layout: { padding: { top: 14, right: 6 } },
    plugins: {},
  };
}

/** An axis spanning `range` (from bins.niceRange), with a tick at each `range.step` (none: automatic). */
export function fixRange(scale, range) {
  scale.min = range[0];
  scale.max = range[1];
  scale.ticks.stepSize = range.step;
}

/** A linear axis in the theme's colours. */
export function axis(theme, title, extra = {}) {
  return {
    type: 'linear',
    title: {
      display: Boolean(title),
      text: title,
      color: theme.muted,
      font: { family: theme.font, size: 11 },
    },
    grid: { color: theme.grid },
    border: { color: theme.muted },
    ticks: {
      color: theme.muted,
      font: { family: theme.font, size: 11 },
      maxTicksLimit: 12,
      maxRotation: 0,
    },
    ...extra,
  };
}

/**
 * Draws statistics over a chart's plot area: { vertical: [...], horizontal: [...] }, each line
 * { value, dash: boolean, label? }, in `color`. Vertical labels go above the plot; one that would
 * collide with a label already placed is dropped (a narrow σ puts μ − σ, μ and μ + σ within a few
 * pixels); labels listed first win.
 */
export function paintStatLines(ctx, chart, { vertical = [], horizontal = [] }, color, font) {
  const { chartArea: area, scales } = chart;
  ctx.save();
  ctx.beginPath();
  ctx.rect(area.left, area.top - 14, area.right - area.left, area.bottom - area.top + 14);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.font = `11px ${font}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  const placed = [];
  for (const line of vertical) {
    if (!Number.isFinite(line.value)) continue;
    const x = scales.x.getPixelForValue(line.value);
    stroke(ctx, line, x, area.top, x, area.bottom);
  }
  for (const line of vertical) {
    if (!line.label || !Number.isFinite(line.value)) continue;
    const x = scales.x.getPixelForValue(line.value);
    const half = ctx.measureText(line.label).width / 2 + 2;
    if (placed.some(([a, b]) => x + half > a && x - half < b)) continue;
    placed.push([x - half, x + half]);
    ctx.fillText(line.label, x, area.top - 1);
  }
  ctx.textAlign = 'left';
  for (const line of horizontal) {
    if (!Number.isFinite(line.value)) continue;
    const y = scales.y.getPixelForValue(line.value);
    stroke(ctx, line, area.left, y, area.right, y);
    if (line.label) ctx.fillText(line.label, area.left + 3, y - 1);
  }
  ctx.restore();
}

function stroke(ctx, line, x0, y0, x1, y1) {
  ctx.lineWidth = line.dash ? 1.25 : 2;
  ctx.setLineDash(line.dash ? [5, 4] : []);
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

/**
 * Creates a chart in `container` (which has an explicit height in CSS) once it is in the document,
 * and keeps its size in step with the container.
 */
export function mountChart(container, config) {
  const canvas = container.querySelector('canvas');
  const { width, height } = container.getBoundingClientRect();
  // With responsive: false, Chart.js takes its first size from the canvas: give it the right one
  // so that the chart is laid out once, not at 300 × 150 and again.
  canvas.width = Math.max(1, Math.floor(width));
  canvas.height = Math.max(1, Math.floor(height));
  const chart = new Chart(canvas, config);
  const observer = new ResizeObserver(([entry]) => {
    const box = entry.contentRect;
    const w = Math.max(1, Math.floor(box.width));
    const h = Math.max(1, Math.floor(box.height));
    if (w !== chart.width || h !== chart.height) chart.resize(w, h);
  });
  observer.observe(container);
  return {
    chart,
    destroy() {
      observer.disconnect();
      chart.destroy();
    },
  };
}
