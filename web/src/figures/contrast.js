// <norm-contrast>: instance norm removes each channel's brightness and contrast. Three small images
// of two channels share their content but not their level or contrast; the reader sets example 1's
// brightness and contrast and sees the images before (left) and after instance norm (right), with
// every channel's mean and standard deviation in the table. All numbers from the core
// (contrast-data.js).
import { format, onWidthChange, ProseFigure, svg, tableRow, tableMarkup } from './figure-kit.js';
import {
  BRIGHTNESS,
  CHANNELS,
  CONTRAST,
  EXAMPLES,
  LOOKS,
  POSITIONS,
  SIDE,
  contrast,
} from './contrast-data.js';

// Fixed grey scales, so that a brighter or flatter input is seen as one.
// Before: values past ±4.5 (example 1 at its brightest and sharpest) show as black or white.
const BEFORE = [-4.5, 4.5];
const AFTER = [-2.5, 2.5];
/** The callout speaks when example 1's and example 2's channels differ this much before. */
export const MEAN_GAP = 1;
export const STD_RATIO = 2;

const MARKUP = `
<div class="figure">
  <p class="try">Try: make example 1 brighter or darker, flatter or sharper with its two sliders. On the left its images change; on the right, after instance norm, they look like the other examples’, because every channel of every example is given mean 0 and standard deviation 1 (see the table).</p>
  <div class="control">
    <label for="brightness">Example 1 brightness</label>
    <input id="brightness" type="range" min="${BRIGHTNESS.min}" max="${BRIGHTNESS.max}" step="${BRIGHTNESS.step}" value="${LOOKS[0].brightness}" disabled>
    <span class="value" data-value="brightness" aria-hidden="true"></span>
  </div>
  <div class="control">
    <label for="contrast">Example 1 contrast</label>
    <input id="contrast" type="range" min="${CONTRAST.min}" max="${CONTRAST.max}" step="${CONTRAST.step}" value="${LOOKS[0].contrast}" disabled>
    <span class="value" data-value="contrast" aria-hidden="true"></span>
  </div>
  <svg class="chart" data-chart="images" viewBox="0 0 600 300" role="img" aria-label="Each example’s two channels as grey images, before and after instance norm"></svg>
  ${tableMarkup(['Example, channel', 'mean before', 'std before', 'mean after', 'std after'])}
  <p class="callout" hidden></p>
  <p class="summary" role="status" aria-live="polite">Loading…</p>
</div>`;

const grey = (v, [lo, hi]) => {
  const t = Math.min(Math.max((v - lo) / (hi - lo), 0), 1);
  const g = Math.round(20 + 225 * t);
  return `rgb(${g},${g},${g})`;
};

/** "from a to b", or "all a" when the values agree to two decimals. */
const range = (values) => {
  const [lo, hi] = [format(Math.min(...values)), format(Math.max(...values))];
  return lo === hi ? `all ${lo}` : `from ${lo} to ${hi}`;
};

export class NormContrast extends ProseFigure {
  #core = null;
  #result = null;

  constructor() {
    super(MARKUP);
  }

  ready(core) {
    this.#core = core;
    const root = this.shadowRoot;
    for (const el of root.querySelectorAll('input')) {
      el.addEventListener('input', () => this.#show());
      el.disabled = false;
    }
    this.#show();
    onWidthChange(this, () => this.#draw());
  }

  #show() {
    const root = this.shadowRoot;
    const look = {
      brightness: Number(root.querySelector('#brightness').value),
      contrast: Number(root.querySelector('#contrast').value),
    };
    root.querySelector('[data-value="brightness"]').textContent = format(look.brightness);
    root.querySelector('[data-value="contrast"]').textContent = `×${format(look.contrast)}`;
    const r = contrast(this.#core, look);
    this.#result = r;
    this.#draw();
    this.#table(r);

    const { before, after } = r;
    const callout = root.querySelector('.callout');
    const gaps = [];
    for (let c = 0; c < CHANNELS; c++) {
      const one = c;
      const two = CHANNELS + c;
      const ratio = before.std[one] / before.std[two];
      if (
        Math.abs(before.mean[one] - before.mean[two]) >= MEAN_GAP ||
        ratio >= STD_RATIO ||
        ratio <= 1 / STD_RATIO
      ) {
        gaps.push(
          `channel ${c + 1}: mean ${format(before.mean[one])} against ${format(before.mean[two])}, ` +
            `std ${format(before.std[one])} against ${format(before.std[two])}`,
        );
      }
    }
    // Said only while it is true to two decimals of every channel.
    const uniform =
      Array.from(after.mean).every((m) => format(m) === '0.00') &&
      Array.from(after.std).every((s) => format(s) === '1.00');
    if (gaps.length && uniform) {
      callout.textContent =
        `Before, example 1 and example 2 differ in level or contrast (${gaps.join('; ')}). ` +
        'After instance norm every channel of both has mean 0.00 and std 1.00: the difference ' +
        'is gone.';
      callout.hidden = false;
    } else {
      callout.textContent = '';
      callout.hidden = true;
    }
    root.querySelector('.summary').textContent =
      `Before instance norm the ${EXAMPLES * CHANNELS} channels have means ` +
      `${range(before.mean)} and standard deviations ${range(before.std)}. After it, means ` +
      `${range(after.mean)} and standard deviations ${range(after.std)}.`;
    this.dataset.brightness = String(look.brightness);
    this.dataset.contrast = String(look.contrast);
  }

  #draw() {
    const r = this.#result;
    if (!r) return;
    const chart = this.shadowRoot.querySelector('[data-chart="images"]');
    const width = Math.max(240, Math.round(chart.getBoundingClientRect().width) || 600);
    const gap = 8;
    const arrow = 22;
    const cell = Math.max(6, Math.min(14, Math.floor((width - 2 * gap - arrow) / (4 * SIDE))));
    const grid = cell * SIDE;
    const lefts = [0, grid + gap, 2 * grid + gap + arrow, 3 * grid + 2 * gap + arrow];
    const head = 18;
    const rowHeight = grid + 22;
    const height = head + EXAMPLES * rowHeight;
    chart.setAttribute('viewBox', `0 0 ${width} ${height}`);
    chart.setAttribute('height', String(height));
    const out = [];
    const title = (x, y, text) => {
      const t = svg('text', { x, y });
      t.textContent = text;
      out.push(t);
    };
    title(lefts[0], 12, 'before');
    title(lefts[2], 12, 'after instance norm');
    for (let n = 0; n < EXAMPLES; n++) {
      const top = head + n * rowHeight;
      title(0, top + 12, `Example ${n + 1}: channel 1, channel 2`);
      const y0 = top + 18;
      for (let k = 0; k < 4; k++) {
        const after = k >= 2;
        const c = k % 2;
        const values = after ? r.y : r.x;
        const base = (n * CHANNELS + c) * POSITIONS;
        for (let s = 0; s < POSITIONS; s++) {
          out.push(
            svg('rect', {
              x: lefts[k] + (s % SIDE) * cell,
              y: y0 + Math.floor(s / SIDE) * cell,
              width: cell,
              height: cell,
              fill: grey(values[base + s], after ? AFTER : BEFORE),
            }),
          );
        }
        out.push(svg('rect', { class: 'frame', x: lefts[k], y: y0, width: grid, height: grid }));
      }
      const mid = y0 + grid / 2;
      const ax = lefts[1] + grid + 4;
      out.push(svg('line', { class: 'axis', x1: ax, x2: ax + arrow - 8, y1: mid, y2: mid }));
      out.push(svg('path', { class: 'arrow', d: `M${ax + arrow - 8} ${mid - 4} l5 4 l-5 4 z` }));
    }
    chart.replaceChildren(...out);
  }

  #table({ before, after }) {
    const rows = [];
    for (let n = 0; n < EXAMPLES; n++) {
      for (let c = 0; c < CHANNELS; c++) {
        const i = n * CHANNELS + c;
        rows.push(
          tableRow(
            [
              `${n + 1}, ${c + 1}`,
              format(before.mean[i]),
              format(before.std[i]),
              format(after.mean[i]),
              format(after.std[i]),
            ],
            n === 0 ? 'active' : '',
          ),
        );
      }
    }
    this.shadowRoot.querySelector('tbody').replaceChildren(...rows);
  }
}

if (!customElements.get('norm-contrast')) customElements.define('norm-contrast', NormContrast);
