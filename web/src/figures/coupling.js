// <norm-coupling>: batch norm couples the examples of a batch, layer norm does not. The reader
// moves example 1 (drag the slider or use the arrow keys) and sees every other example's output
// move under batch norm and stay put under layer norm, side by side; all numbers from the core.
import css from './figures.css?inline';
import { DELTA, EXAMPLES, FEATURES, SAMPLE, coupling } from './coupling-data.js';

let sheet = null;
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}

const format = (v) => {
  const text = v.toFixed(3);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
};
const signed = (v) => (v > 0 ? `+${format(v)}` : format(v));

const METHODS = [
  { id: 'batch', title: 'Batch norm (statistics over the batch)' },
  { id: 'layer', title: 'Layer norm (statistics within each example)' },
];

const MARKUP = `
<div class="figure">
  <p class="try">Try: move example 1 with the slider (drag it, or use the arrow keys) and look at examples 2 to ${EXAMPLES}. Under batch norm their outputs move, because example 1 changes the batch’s mean and variance; under layer norm they stay exactly where they were.</p>
  <div class="control">
    <label for="delta">Move example 1</label>
    <input id="delta" type="range" min="${DELTA.min}" max="${DELTA.max}" step="${DELTA.step}" value="0" disabled>
    <span class="value" aria-hidden="true">0.000</span>
    <button type="button" data-action="reset" disabled>Reset</button>
  </div>
  <div class="panels">
    ${METHODS.map(
      (m) => `<section data-method="${m.id}">
      <h3>${m.title}</h3>
      <table>
        <thead><tr><th scope="col">Example</th><th scope="col">y (feature 1)</th><th scope="col">change</th></tr></thead>
        <tbody></tbody>
      </table>
    </section>`,
    ).join('')}
  </div>
  <p class="summary" role="status" aria-live="polite">Loading…</p>
</div>`;

export class NormCoupling extends HTMLElement {
  #x = null;
  #core = null;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [styles()];
    root.innerHTML = MARKUP;
  }

  #observer = null;

  // The core loads when the figure nears the viewport, as the widget's does.
  connectedCallback() {
    if (this.#core || this.#observer) return;
    if (typeof IntersectionObserver !== 'function') {
      this.#load();
      return;
    }
    this.#observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this.#observer.disconnect();
        this.#load();
      },
      { rootMargin: '200px' },
    );
    this.#observer.observe(this);
  }

  #load() {
    import('../core/index.js')
      .then(({ loadNormCore }) => loadNormCore())
      .then((core) => {
        this.#core = core;
        this.#x = core.sample(SAMPLE);
        const root = this.shadowRoot;
        const slider = root.querySelector('#delta');
        const reset = root.querySelector('[data-action="reset"]');
        slider.addEventListener('input', () => this.#show());
        reset.addEventListener('click', () => {
          slider.value = '0';
          this.#show();
        });
        slider.disabled = false;
        reset.disabled = false;
        this.#show();
        this.setAttribute('data-ready', '');
      })
      .catch((error) => {
        this.shadowRoot.querySelector('.summary').textContent =
          'This figure needs JavaScript modules and WebAssembly.';
        this.setAttribute('data-error', String(error?.message ?? error));
      });
  }

  // Everything on show follows from the slider's value: computed once per change, never per frame.
  #show() {
    const root = this.shadowRoot;
    const delta = Number(root.querySelector('#delta').value);
    root.querySelector('.value').textContent = signed(delta);
    const result = coupling(this.#core, this.#x, delta);
    for (const { id } of METHODS) {
      const { before, after } = result[id];
      const rows = [];
      for (let i = 0; i < EXAMPLES; i++) {
        const tr = document.createElement('tr');
        const change = after[i * FEATURES] - before[i * FEATURES];
        if (i === 0) tr.className = 'source';
        else if (change !== 0) tr.className = 'moved';
        for (const text of [
          `${i + 1}${i === 0 ? ' (moved)' : ''}`,
          format(after[i * FEATURES]),
          i === 0 ? '' : change === 0 ? 'none' : signed(change),
        ]) {
          const td = document.createElement('td');
          td.textContent = text;
          tr.append(td);
        }
        rows.push(tr);
      }
      root.querySelector(`[data-method="${id}"] tbody`).replaceChildren(...rows);
    }
    const b = result.batch.largest;
    const l = result.layer.largest;
    root.querySelector('.summary').textContent =
      delta === 0
        ? 'Example 1 is where it was drawn: nothing has moved yet.'
        : `Example 1 moved by ${signed(delta)}. Batch norm: the outputs of examples 2 to ${EXAMPLES} ` +
          `moved by up to ${format(b)}. Layer norm: ${l === 0 ? 'not at all' : `by up to ${format(l)}`}.`;
    this.dataset.batchLargest = String(b);
    this.dataset.layerLargest = String(l);
  }
}

if (!customElements.get('norm-coupling')) customElements.define('norm-coupling', NormCoupling);
