// <norm-batch-of-one>: layer norm does not need a batch. One example is normalised alone and as the
// first example of a batch; the reader changes the batch size (down to 1) and draws new batches.
// Layer norm's output for the example never moves; batch norm's (training mode) moves with every
// batch, and at batch size 1 the core refuses it, which the figure says in plain words. All numbers
// from the core (batch-of-one-data.js).
import {
  format,
  formatTiny,
  onWidthChange,
  ProseFigure,
  tableRow,
  tableMarkup,
} from './figure-kit.js';
import { drawDotRows } from './dot-rows.js';
import { largestDifference } from './differences.js';
import {
  BATCH_SIZES,
  DEFAULT_BATCH_SIZE,
  FEATURES,
  FIRST_SEED,
  SAME_TOLERANCE,
  batchNormChange,
  batchOfOne,
} from './batch-of-one-data.js';

const LARGEST = BATCH_SIZES.at(-1);
const REFUSAL = 'refused: one example, no spread';

const MARKUP = `
<div class="figure">
  <p class="try">Try: press New batch a few times, then lower the batch size to 1. The example’s layer-norm outputs (top two rows) stay exactly where they are, in every batch and alone; its batch-norm outputs (bottom row) move with every new batch, and at batch size 1 batch norm refuses to work.</p>
  <div class="control">
    <label for="batch-size">Batch size</label>
    <select id="batch-size" disabled>
      ${BATCH_SIZES.map((b) => `<option value="${b}"${b === DEFAULT_BATCH_SIZE ? ' selected' : ''}>${b}</option>`).join('')}
    </select>
    <button type="button" data-action="new-batch" disabled>New batch</button>
  </div>
  <p class="chart-title" id="rows-title">The same example’s ${FEATURES} normalised features, three ways</p>
  <svg class="chart" data-chart="rows" viewBox="0 0 600 140" role="img" aria-labelledby="rows-title"></svg>
  <ul class="legend">
    <li><span class="swatch"></span>layer norm</li>
    <li><span class="swatch second"></span>batch norm, training mode</li>
  </ul>
  ${tableMarkup(['Feature', 'x', 'LN alone', 'LN in batch', 'BN in batch'])}
  <p class="callout" hidden></p>
  <p class="summary" role="status" aria-live="polite">Loading…</p>
</div>`;

const list = (values) => Array.from(values, (v) => format(v)).join(', ');

export class NormBatchOfOne extends ProseFigure {
  #core = null;
  #seed = FIRST_SEED;
  #previous = null; // the last result shown, to say how far batch norm moved on New batch

  constructor() {
    super(MARKUP);
  }

  ready(core) {
    this.#core = core;
    const root = this.shadowRoot;
    root.querySelector('#batch-size').addEventListener('change', () => {
      this.#previous = null;
      this.#show();
    });
    root.querySelector('[data-action="new-batch"]').addEventListener('click', () => {
      this.#seed += 1;
      this.#show();
    });
    for (const el of root.querySelectorAll('select, button')) el.disabled = false;
    this.#show();
    onWidthChange(this, () => this.#draw(this.#previous));
  }

  #show() {
    const root = this.shadowRoot;
    const batchSize = Number(root.querySelector('#batch-size').value);
    const r = batchOfOne(this.#core, batchSize, this.#seed);
    const moved = batchNormChange(this.#previous, r);
    this.#previous = r;
    this.#draw(r);
    this.#table(r);

    const callout = root.querySelector('.callout');
    let text = '';
    if (batchSize === 1) {
      const big = batchOfOne(this.#core, LARGEST, this.#seed);
      const gap = largestDifference(r.layer, big.layer);
      if (gap <= SAME_TOLERANCE) {
        text =
          `Batch size 1: layer norm gives this example the same output as in a batch of ` +
          `${LARGEST} (largest difference ${formatTiny(gap)}). Batch norm in training mode ` +
          'cannot work on it: with one example, each feature has a single value, its variance ' +
          'is 0 and there is nothing to compare the example with, so the core refuses (PyTorch ' +
          'raises an error here too).';
      }
    } else if (moved !== null) {
      const how = moved >= 0.005 ? `moved by up to ${format(moved)}` : 'barely moved (under 0.005)';
      text =
        `New batch: batch norm’s outputs for this example ${how}; ` +
        `layer norm’s did not move (largest difference from alone ${formatTiny(r.difference)}).`;
    }
    callout.textContent = text;
    callout.hidden = text === '';

    const layerWords = r.same
      ? `the same as alone, ${list(r.layer)}`
      : `${list(r.layer)}, up to ${formatTiny(r.difference)} from alone`;
    root.querySelector('.summary').textContent =
      `Batch size ${batchSize}. Layer norm’s outputs for the example: ${layerWords}. ` +
      (r.batchNorm
        ? `Batch norm’s outputs for it in this batch: ${list(r.batchNorm)}.`
        : 'Batch norm refuses a batch of one.');
    this.dataset.batchSize = String(batchSize);
    this.dataset.seed = String(this.#seed);
    this.dataset.difference = String(r.difference);
  }

  #draw(r) {
    if (!r) return;
    const chart = this.shadowRoot.querySelector('[data-chart="rows"]');
    const inBatch = `in this batch of ${r.batchSize}`;
    drawDotRows(
      chart,
      [
        { label: 'Layer norm, the example alone', values: r.alone },
        { label: `Layer norm, ${inBatch}`, values: r.layer },
        r.batchNorm
          ? { label: `Batch norm, ${inBatch}`, values: r.batchNorm, dotClass: 'second' }
          : { label: `Batch norm, ${inBatch}`, message: REFUSAL },
      ],
      { domain: [-3, 3], ticks: [-3, -2, -1, 0, 1, 2, 3] },
    );
  }

  #table(r) {
    const rows = [];
    for (let f = 0; f < FEATURES; f++) {
      rows.push(
        tableRow([
          String(f + 1),
          format(r.example[f]),
          format(r.alone[f], 3),
          format(r.layer[f], 3),
          r.batchNorm ? format(r.batchNorm[f], 3) : 'refused',
        ]),
      );
    }
    this.shadowRoot.querySelector('tbody').replaceChildren(...rows);
  }
}

if (!customElements.get('norm-batch-of-one')) {
  customElements.define('norm-batch-of-one', NormBatchOfOne);
}
