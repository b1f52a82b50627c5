// A small chart frame painted straight onto a canvas: grid, ticks, tick labels and axis titles,
// then the chart's own marks. The lab redraws several charts a few times a second while the
// worker trains; a Chart.js layout costs 2–10 ms on a busy machine, this whole frame well under
// one, so a redraw never needs to wait for a quiet frame. Colours and font come from the theme
// that the widget's charts use (readTheme in widget/charts/setup.js).

const FONT_PX = 11;
const TICK = 4;

function formatTick(value, step) {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return Math.abs(value) >= 1000
    ? Math.round(value).toLocaleString('en-GB')
    : value.toFixed(decimals);
}

function ticks([lo, hi], step) {
  const out = [];
  for (let v = lo; v <= hi + step * 1e-6; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

export class AxesPlot {
  /**
   * @param {HTMLElement} container  holds a <canvas> and has an explicit height in CSS
   * @param {{ x: string, y: string }} titles
   * @param {ReturnType<import('../../widget/charts/setup.js').readTheme>} theme
   * @param {(ctx: CanvasRenderingContext2D, frame: { area: object, x: {a:number,b:number},
   *   y: {a:number,b:number} }) => void} paint  draws the marks in CSS pixels
   */
  constructor(container, titles, theme, paint) {
    this.container = container;
    this.canvas = container.querySelector('canvas');
    this.titles = titles;
    this.theme = theme;
    this.paint = paint;
    this.x = Object.assign([0, 1], { step: 0.5 });
    this.y = Object.assign([0, 1], { step: 0.5 });
    this.size = { width: 0, height: 0 };
    this.cache = document.createElement('canvas');
    this.key = '';
    this.observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      this.size = { width: Math.floor(width), height: Math.floor(height) };
      this.onResize?.();
    });
    this.observer.observe(container);
    const box = container.getBoundingClientRect();
    this.size = { width: Math.floor(box.width), height: Math.floor(box.height) };
  }

  /** Axis ranges as [min, max] with a `step` between ticks (bins.niceRange gives these). */
  setRanges(x, y) {
    if (x) this.x = x;
    if (y) this.y = y;
  }

  setTheme(theme) {
    this.theme = theme;
  }

  /**
   * Draws the frame (from a kept image unless the ranges, size or theme changed: text is the
   * dearest part of a software-rendered canvas), then the marks.
   */
  draw() {
    const { canvas, size } = this;
    if (size.width < 10 || size.height < 10) return;
    const ratio = globalThis.devicePixelRatio || 1;
    const w = Math.round(size.width * ratio);
    const h = Math.round(size.height * ratio);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const key = [w, h, ...this.x, this.x.step, ...this.y, this.y.step].join();
    if (key !== this.key || this.theme !== this.drawnTheme) {
      this.key = key;
      this.drawnTheme = this.theme;
      this.cache.width = w;
      this.cache.height = h;
      const c = this.cache.getContext('2d');
      c.setTransform(ratio, 0, 0, ratio, 0, 0);
      this.frame = this.#drawAxes(c);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalCompositeOperation = 'copy';
    ctx.drawImage(this.cache, 0, 0);
    ctx.globalCompositeOperation = 'source-over';
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const { area } = this.frame;
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top - 1, area.right - area.left, area.bottom - area.top + 2);
    ctx.clip();
    this.paint(ctx, this.frame);
    ctx.restore();
  }

  /** Grid, ticks, labels and titles; returns the plot area and the value-to-pixel maps. */
  #drawAxes(ctx) {
    const { theme, size } = this;
    ctx.font = `${FONT_PX}px ${theme.font}`;
    const yTicks = ticks(this.y, this.y.step);
    const xTicks = ticks(this.x, this.x.step);
    const yLabels = yTicks.map((v) => formatTick(v, this.y.step));
    const labelWidth = Math.max(...yLabels.map((t) => ctx.measureText(t).width));
    const area = {
      left: FONT_PX + 6 + labelWidth + TICK + 3,
      right: size.width - 16, // room for half of the last step label
      top: 8,
      bottom: size.height - (FONT_PX + 2) * 2 - TICK - 2,
    };
    const xMap = map(this.x, area.left, area.right);
    const yMap = map(this.y, area.bottom, area.top);
    // Grid and ticks.
    ctx.strokeStyle = theme.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const v of yTicks) {
      const py = Math.round(yMap.a + yMap.b * v) + 0.5;
      ctx.moveTo(area.left - TICK, py);
      ctx.lineTo(area.right, py);
    }
    for (const v of xTicks) {
      const px = Math.round(xMap.a + xMap.b * v) + 0.5;
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom + TICK);
    }
    ctx.stroke();
    ctx.strokeStyle = theme.muted;
    ctx.beginPath();
    ctx.moveTo(area.left + 0.5, area.top);
    ctx.lineTo(area.left + 0.5, area.bottom + 0.5);
    ctx.lineTo(area.right, area.bottom + 0.5);
    ctx.stroke();
    // Labels, dropping x labels that would overlap the one before.
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    yTicks.forEach((v, i) => ctx.fillText(yLabels[i], area.left - TICK - 2, yMap.a + yMap.b * v));
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    let lastRight = -Infinity;
    for (const v of xTicks) {
      const text = formatTick(v, this.x.step);
      const px = xMap.a + xMap.b * v;
      const half = ctx.measureText(text).width / 2;
      if (px - half < lastRight + 4 || px + half > size.width) continue;
      ctx.fillText(text, px, area.bottom + TICK + 2);
      lastRight = px + half;
    }
    ctx.fillText(this.titles.x, (area.left + area.right) / 2, size.height - FONT_PX - 2);
    ctx.save();
    ctx.translate(2, (area.top + area.bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(this.titles.y, 0, 0);
    ctx.restore();
    return { area, x: xMap, y: yMap };
  }

  destroy() {
    this.observer.disconnect();
  }
}

/** Value → pixel as a + b·value. */
function map([lo, hi], p0, p1) {
  const b = hi === lo ? 0 : (p1 - p0) / (hi - lo);
  return { a: p0 - b * lo, b };
}
