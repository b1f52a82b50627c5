// <norm-small-batches>: how noisy μ_B is for small batches. The reader picks a batch size (down to
// 2) and resamples; the top strip shows 30 batches' means around the population mean, the bottom
// one the normalised values of the first few batches. At batch size 2 a callout says what happens:
// each batch's two values become −1 and +1. All numbers from the core (small-batches-data.js).
import { fitChart, format, onWidthChange, ProseFigure, scale, svg } from './figure-kit.js';
import {
  BATCHES,
  BATCH_SIZES,
  DEFAULT_BATCH_SIZE,
  FIRST_SEED,
  POPULATION,
  UNIT_TOLERANCE,
  smallBatches,
} from './small-batches-data.js';

const SHOWN_BATCHES = 6; // rows in the normalised-values strip
const LEFT = 16;
const MEANS_HEIGHT = 96;
const VALUES_HEIGHT = 124;
// Fixed axes, so that changing the batch size is seen as the dots gathering or spreading.
const MEAN_AXIS = [POPULATION.mean - 2, POPULATION.mean + 2];
const Y_AXIS = [-3, 3];

const MARKUP = `
<div class="figure">
  <p class="try">Try: lower the batch size from 256 to 2 and press Resample a few times. The ${BATCHES} batch means (top) scatter more widely around the population mean as the batch shrinks, and at batch size 2 the normalised values (bottom) land on −1 and +1.</p>
  <div class="control">
    <label for="batch-size">Batch size</label>
    <select id="batch-size" disabled>
      ${BATCH_SIZES.map((b) => `<option value="${b}"${b === DEFAULT_BATCH_SIZE ? ' selected' : ''}>${b}</option>`).join('')}
    </select>
    <button type="button" data-action="resample" disabled>Resample</button>
  </div>
  <p class="chart-title" id="means-title">μ<sub>B</sub> of ${BATCHES} batches drawn from one population</p>
  <svg class="chart" data-chart="means" viewBox="0 0 600 ${MEANS_HEIGHT}" role="img" aria-labelledby="means-title"></svg>
  <p class="chart-title" id="values-title">Normalised values of batches 1 to ${SHOWN_BATCHES}, one row each</p>
  <svg class="chart" data-chart="values" viewBox="0 0 600 ${VALUES_HEIGHT}" role="img" aria-labelledby="values-title"></svg>
  <ul class="legend">
    <li><span class="swatch"></span>a batch’s μ<sub>B</sub>, or a normalised value</li>
    <li><span class="swatch reference"></span>population mean; −1 and +1</li>
  </ul>
  <p class="callout" hidden></p>
  <p class="summary" role="status" aria-live="polite">Loading…</p>
</div>`;

/** Draws a horizontal axis at `y` with ticks at `ticks` and returns its group. */
function axis(map, y, ticks, right) {
  const g = svg('g');
  g.append(svg('line', { class: 'axis', x1: LEFT, x2: right, y1: y, y2: y }));
  for (const t of ticks) {
    g.append(svg('line', { class: 'axis', x1: map(t), x2: map(t), y1: y, y2: y + 4 }));
    const label = svg('text', { x: map(t), y: y + 17, 'text-anchor': 'middle', class: 'muted' });
    label.textContent = t < 0 ? `−${-t}` : String(t);
    g.append(label);
  }
  return g;
}

export class NormSmallBatches extends ProseFigure {
  #core = null;
  #seed = FIRST_SEED;

  constructor() {
    super(MARKUP);
  }

  ready(core) {
    this.#core = core;
    const root = this.shadowRoot;
    const select = root.querySelector('#batch-size');
    const resample = root.querySelector('[data-action="resample"]');
    select.addEventListener('change', () => this.#show());
    resample.addEventListener('click', () => {
      this.#seed += 1;
      this.#show();
    });
    select.disabled = false;
    resample.disabled = false;
    this.#show();
    onWidthChange(this, () => this.#show());
  }

  #show() {
    const root = this.shadowRoot;
    const batchSize = Number(root.querySelector('#batch-size').value);
    const result = smallBatches(this.#core, batchSize, this.#seed);
    this.#drawMeans(result);
    this.#drawValues(result);

    const callout = root.querySelector('.callout');
    if (batchSize === 2) {
      const total = result.y.length;
      const off = total - result.nearUnit;
      callout.textContent =
        'Batch size 2: the normalised values are −1 and +1, one of each per batch. With two ' +
        'values the mean lies halfway between them and the standard deviation is half their ' +
        'distance, so each lies exactly one standard deviation from the mean, whatever the data: ' +
        'all the layer passes on is which of the two is larger. ' +
        (off === 0
          ? `Here all ${total} values are ±1 to two decimals.`
          : `Here ${result.nearUnit} of the ${total} values are ±1 to two decimals; the other ` +
            `${off} come from pairs whose two values nearly coincide, which ε, added to the ` +
            'variance, pulls towards 0.');
      callout.hidden = false;
    } else {
      callout.hidden = true;
      callout.textContent = '';
    }
    root.querySelector('.summary').textContent =
      `Batch size ${batchSize}: the ${BATCHES} batch means scatter around the population mean ` +
      `${format(POPULATION.mean)} with a standard deviation of ${format(result.spread)}.`;
    this.dataset.batchSize = String(batchSize);
    this.dataset.spread = String(result.spread);
    this.dataset.seed = String(this.#seed);
  }

  #drawMeans({ means }) {
    const chart = this.shadowRoot.querySelector('[data-chart="means"]');
    const right = fitChart(chart, MEANS_HEIGHT) - 16;
    const x = scale(MEAN_AXIS[0], MEAN_AXIS[1], LEFT, right);
    const top = 8;
    const bottom = 68;
    const ticks = [0, 1, 2, 3, 4].map((t) => t + MEAN_AXIS[0]);
    const parts = [axis(x, bottom + 4, ticks, right)];
    const pop = x(POPULATION.mean);
    parts.push(svg('line', { class: 'reference', x1: pop, x2: pop, y1: 0, y2: bottom + 4 }));
    means.forEach((m, b) => {
      // Each batch on its own height, so that equal means do not hide each other.
      const cy = top + ((b % 10) / 9) * (bottom - top - 8) + Math.floor(b / 10) * 3;
      const cx = x(Math.min(Math.max(m, MEAN_AXIS[0]), MEAN_AXIS[1]));
      parts.push(svg('circle', { class: 'dot', cx, cy, r: 5 }));
    });
    chart.replaceChildren(...parts);
  }

  #drawValues({ y, batchSize }) {
    const chart = this.shadowRoot.querySelector('[data-chart="values"]');
    const right = fitChart(chart, VALUES_HEIGHT) - 16;
    const x = scale(Y_AXIS[0], Y_AXIS[1], LEFT, right);
    const rowHeight = 16;
    const bottom = SHOWN_BATCHES * rowHeight + 4;
    const parts = [axis(x, bottom, [-3, -2, -1, 0, 1, 2, 3], right)];
    for (const unit of [-1, 1]) {
      parts.push(svg('line', { class: 'reference', x1: x(unit), x2: x(unit), y1: 0, y2: bottom }));
    }
    const r = batchSize > 64 ? 2.5 : 4;
    for (let b = 0; b < SHOWN_BATCHES; b++) {
      const cy = b * rowHeight + rowHeight / 2;
      for (let i = 0; i < batchSize; i++) {
        const v = Math.min(Math.max(y[i * BATCHES + b], Y_AXIS[0]), Y_AXIS[1]);
        parts.push(svg('circle', { class: 'dot', cx: x(v), cy, r }));
      }
    }
    chart.replaceChildren(...parts);
  }
}

if (!customElements.get('norm-small-batches')) {
  customElements.define('norm-small-batches', NormSmallBatches);
}
