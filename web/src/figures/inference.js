// <norm-inference>: the same layer in its two modes. Training normalises with the batch's own μ_B
// and σ_B; inference with the running statistics gathered so far. The reader switches the mode and
// the number of training steps behind the running statistics, and follows one example through the
// formula; while the running statistics have not settled, a note says so. All numbers from the
// core (inference-data.js).
import { format, ProseFigure, tableMarkup } from './figure-kit.js';
import { dataSet } from './running-statistics-data.js';
import {
  DEFAULT_STEPS,
  MAX_RELATIVE_GAP,
  MIN_STEPS,
  STEP_CHOICES,
  heldOutBatch,
  inference,
} from './inference-data.js';

const SYMBOLS = {
  training: { mean: 'μ<sub>B</sub>', std: 'σ<sub>B</sub>', what: 'this batch’s own statistics' },
  inference: {
    mean: 'μ<sub>run</sub>',
    std: 'σ<sub>run</sub>',
    what: 'the running statistics, fixed after training',
  },
};

const MARKUP = `
<div class="figure">
  <p class="try">Try: switch between Training and Inference and watch the formula’s μ and σ change from the batch’s own to the running ones. With only a few training steps behind them, the running statistics are still far from the data’s, and in inference the same example comes out differently.</p>
  <div class="control">
    <fieldset class="mode">
      <legend>Mode</legend>
      <label><input type="radio" name="mode" value="training" checked disabled> Training</label>
      <label><input type="radio" name="mode" value="inference" disabled> Inference</label>
    </fieldset>
    <label for="steps">Training steps so far</label>
    <select id="steps" disabled>
      ${STEP_CHOICES.map((s) => `<option value="${s}"${s === DEFAULT_STEPS ? ' selected' : ''}>${s}</option>`).join('')}
    </select>
  </div>
  <p class="formula" aria-live="off"></p>
  ${tableMarkup(['Mode', 'μ', 'σ', 'y of example 1', 'all 16 y: mean, std'])}
  <p class="callout" hidden></p>
  <p class="summary" role="status" aria-live="polite">Loading…</p>
</div>`;

export class NormInference extends ProseFigure {
  #core = null;
  #data = null;
  #batch = null;

  constructor() {
    super(MARKUP);
  }

  ready(core) {
    this.#core = core;
    this.#data = dataSet(core);
    this.#batch = heldOutBatch(core, this.#data);
    const root = this.shadowRoot;
    for (const el of root.querySelectorAll('input, select')) {
      el.addEventListener('change', () => this.#show());
      el.disabled = false;
    }
    this.#show();
  }

  #show() {
    const root = this.shadowRoot;
    const mode = root.querySelector('input[name="mode"]:checked').value;
    const steps = Number(root.querySelector('#steps').value);
    const r = inference(this.#core, this.#data, this.#batch, steps);
    const active = r[mode];
    const sym = SYMBOLS[mode];

    // The formula with the active mode's symbols, then the same with the numbers put in.
    root.querySelector('.formula').innerHTML =
      `<span class="math">y = (x − ${sym.mean}) / √(${sym.std}² + ε)</span> ` +
      `<span class="numbers">= (${format(r.example)} − ${format(active.mean)}) / ` +
      `√(${format(active.std)}² + ε) = <strong>${format(active.y)}</strong></span>`;

    const rows = ['training', 'inference'].map((m) => {
      const tr = document.createElement('tr');
      tr.dataset.mode = m;
      if (m === mode) tr.className = 'active';
      const s = r[m];
      const cells = [
        m === 'training' ? 'Training' : 'Inference',
        format(s.mean),
        format(s.std),
        format(s.y),
        `${format(s.batchMean)}, ${format(s.batchStd)}`,
      ];
      for (const text of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    });
    root.querySelector('tbody').replaceChildren(...rows);

    const callout = root.querySelector('.callout');
    const note = mode === 'inference' && !r.converged;
    callout.hidden = !note;
    callout.textContent = note
      ? `Not converged yet: after ${steps} training step${steps === 1 ? '' : 's'} the running ` +
        `statistics (mean ${format(r.inference.mean)}, std ${format(r.inference.std)}) are still ` +
        `${Math.round(r.gap * 100)} % of a standard deviation from the data’s (mean ` +
        `${format(this.#data.mean)}, std ${format(this.#data.std)}), so this batch comes out with ` +
        `mean ${format(r.inference.batchMean)} and std ${format(r.inference.batchStd)} instead of ` +
        `about 0 and 1. (Settled here means at least ${MIN_STEPS} steps and within ` +
        `${Math.round(MAX_RELATIVE_GAP * 100)} %.)`
      : '';

    root.querySelector('.summary').textContent =
      `${mode === 'training' ? 'Training' : 'Inference'} mode uses ${sym.what.replace(/<[^>]+>/g, '')}: ` +
      `example 1, x = ${format(r.example)}, becomes y = ${format(active.y)} ` +
      `(in the other mode ${format(r[mode === 'training' ? 'inference' : 'training'].y)}).`;
    this.dataset.mode = mode;
    this.dataset.steps = String(steps);
    this.dataset.converged = String(r.converged);
    this.dataset.y = String(active.y);
  }
}

if (!customElements.get('norm-inference')) customElements.define('norm-inference', NormInference);
