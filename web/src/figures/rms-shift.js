// <norm-rms-shift>: RMS norm keeps a shift that layer norm removes. The reader adds a constant to
// every value of one example; the rows show the input, layer norm's output and RMS norm's output on
// one axis, each with its mean marked, and the formula line carries the μ, σ and RMS(x) in use.
// All numbers from the core (rms-shift-data.js).
import { format, formatTiny, onWidthChange, ProseFigure } from './figure-kit.js';
import { drawDotRows } from './dot-rows.js';
import { DEFAULT_SHIFT, SHIFT, baseExample, rmsShift } from './rms-shift-data.js';

/** RMS norm and layer norm count as giving "the same output" to three decimals within this. */
export const SAME_OUTPUT = 5e-4;
/** An output mean counts as "kept" (not 0 to two decimals) from this size on. */
export const KEPT_MEAN = 0.005;

const signed = (v) => (v > 0 ? `+${format(v)}` : format(v));

const MARKUP = `
<div class="figure">
  <p class="try">Try: slide the shift from −3 to +3 and watch the orange marks, each row’s mean. Layer norm’s mean stays at 0 whatever the shift, because it subtracts μ; RMS norm’s follows the shift, because it only divides by RMS(x). At shift 0 the two rows agree.</p>
  <div class="control">
    <label for="shift">Shift every value by</label>
    <input id="shift" type="range" min="${SHIFT.min}" max="${SHIFT.max}" step="${SHIFT.step}" value="${DEFAULT_SHIFT}" disabled>
    <span class="value" aria-hidden="true"></span>
    <button type="button" data-action="zero" disabled>Shift 0</button>
  </div>
  <p class="formula" aria-live="off"></p>
  <svg class="chart" data-chart="rows" viewBox="0 0 600 140" role="img" aria-label="The input values, layer norm’s outputs and RMS norm’s outputs on one axis, each row’s mean marked"></svg>
  <ul class="legend">
    <li><span class="swatch"></span>a value</li>
    <li><span class="swatch line"></span>the row’s mean</li>
    <li><span class="swatch reference"></span>0</li>
  </ul>
  <p class="callout" hidden></p>
  <p class="summary" role="status" aria-live="polite">Loading…</p>
</div>`;

export class NormRmsShift extends ProseFigure {
  #core = null;
  #base = null;
  #result = null;

  constructor() {
    super(MARKUP);
  }

  ready(core) {
    this.#core = core;
    this.#base = baseExample(core);
    const root = this.shadowRoot;
    const slider = root.querySelector('#shift');
    slider.addEventListener('input', () => this.#show());
    root.querySelector('[data-action="zero"]').addEventListener('click', () => {
      slider.value = '0';
      this.#show();
    });
    for (const el of root.querySelectorAll('input, button')) el.disabled = false;
    this.#show();
    onWidthChange(this, () => this.#draw());
  }

  #show() {
    const root = this.shadowRoot;
    const shift = Number(root.querySelector('#shift').value);
    const r = rmsShift(this.#core, this.#base, shift);
    this.#result = r;
    root.querySelector('.value').textContent = signed(shift);
    root.querySelector('.formula').innerHTML =
      `<span class="formula-row">Layer norm: <span class="math">y = (x − <span class="mark">μ</span>) / σ</span>, ` +
      `<span class="numbers">μ = ${format(r.mean)}, σ = ${format(r.std)}</span></span>` +
      `<span class="formula-row">RMS norm: <span class="math">y = x / RMS(x)</span>, ` +
      `<span class="numbers">RMS(x) = √(μ² + σ² + ε) = ${format(r.rms)}</span></span>`;
    this.#draw();

    const callout = root.querySelector('.callout');
    let text = '';
    if (shift === 0 && r.difference <= SAME_OUTPUT) {
      text =
        `Shift 0: the values average to ${format(r.mean)}, so RMS(x) equals σ and RMS norm gives ` +
        `the same output as layer norm to three decimals (largest difference ` +
        `${formatTiny(r.difference)}).`;
    } else if (Math.abs(r.rmsNorm.mean) >= KEPT_MEAN && Math.abs(r.layer.mean) < KEPT_MEAN) {
      text =
        `Shift ${signed(shift)}: layer norm’s output mean is ${format(r.layer.mean)}, the shift ` +
        `removed; RMS norm’s is ${format(r.rmsNorm.mean)}, the input’s mean ${format(r.mean)} ` +
        `divided by RMS(x) = ${format(r.rms)}: RMS norm keeps the shift.`;
    }
    callout.textContent = text;
    callout.hidden = text === '';
    root.querySelector('.summary').textContent =
      `Shift ${signed(shift)}: the input’s mean is ${format(r.mean)} and its RMS ${format(r.rms)}. ` +
      `Output means: layer norm ${format(r.layer.mean)}, RMS norm ${format(r.rmsNorm.mean)}.`;
    this.dataset.shift = String(shift);
    this.dataset.layerMean = String(r.layer.mean);
    this.dataset.rmsMean = String(r.rmsNorm.mean);
  }

  #draw() {
    const r = this.#result;
    if (!r) return;
    const mark = (at) => [{ at, className: 'line' }];
    drawDotRows(
      this.shadowRoot.querySelector('[data-chart="rows"]'),
      [
        { label: `Input x, mean μ = ${format(r.mean)}`, values: r.x, marks: mark(r.mean) },
        {
          label: `Layer norm, output mean ${format(r.layer.mean)}`,
          values: r.layer.y,
          marks: mark(r.layer.mean),
        },
        {
          label: `RMS norm, output mean ${format(r.rmsNorm.mean)}`,
          values: r.rmsNorm.y,
          marks: mark(r.rmsNorm.mean),
        },
      ],
      { domain: [-5, 5], ticks: [-4, -2, 0, 2, 4], references: [0] },
    );
  }
}

if (!customElements.get('norm-rms-shift')) customElements.define('norm-rms-shift', NormRmsShift);
