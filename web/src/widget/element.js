// <norm-widget>: the custom element. Owns the shadow root, reads its attributes, loads the heavy
// part (core and charts) when it nears the viewport, and reports its state to the page through
// data-* attributes and a `norm-widget-change` event.
//
//   <norm-widget norm="batch" distribution="normal" batch-size="64" seed="1" autoplay></norm-widget>
//   <norm-widget norm="group" batch-size="2" channels="6"></norm-widget>
//
// Attributes (read when the element connects; invalid values fall back to defaults with a warning):
//   norm          batch | layer | instance | group | rms (default batch): the operation animated, in
//                 four stages raw → centred → scaled → scaled and shifted (RMS norm: no centring,
//                 and its last stage is γ·x̂, with no β)
//   distribution  normal | lognormal | bimodal | student-t
//   batch-size    batch norm: 2..1024 examples (default 64); the other norms: 1..8 examples
//                 (default 4 for layer and RMS norm, 2 for instance and group norm)
//   channels      channels (features) per example: batch norm 2..8 (default 2), each with a
//                 population of its own; the other norms 1..8 (default 4), each channel holding
//                 64 spatial positions. Group norm's Groups control offers the divisors of it.
//   seed          whole number >= 0 (default 1)
//   autoplay      start playing on load, unless the reader prefers reduced motion
// What is drawn: a histogram per set of values normalised together (batch norm: per channel;
// layer and RMS norm: per example; instance norm: per channel of each example; group norm: per
// group of each example), at most 8: the first 8 sets. The wide chart shows channels 1 and 2 against
// each other (batch norm) or every set side by side (the others). The status text gives each
// drawn set's mean and std (RMS norm: and rms), and summarises any further sets. Only batch norm
// keeps running statistics (training charts, Mode); for the others Mode is fixed, with a note.
// Set by the element: data-ready (core loaded, first batch drawn), data-stage
// (raw|centred|scaled|shifted; RMS norm never shows centred, and its "shifted" is γ·x̂),
// data-frame (animation frames drawn), data-error (loading failed).
import { readAttributes } from './attributes.js';
import { widgetStyles } from './styles.js';
import { buildUi } from './template.js';

export class NormWidget extends HTMLElement {
  #ui = null;
  #controller = null;
  #loading = null;
  #observer = null;
  #frames = 0;
  #options = null;

  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).adoptedStyleSheets = [widgetStyles()];
  }

  connectedCallback() {
    if (!this.#ui) {
      this.#options = readAttributes(this);
      // The shadow root has no <slot>, so the light-DOM fallback paragraph is no longer rendered.
      this.#ui = buildUi(this.shadowRoot, this.#options.norm);
    }
    if (this.#controller || this.#loading) return;
    if (typeof IntersectionObserver !== 'function') {
      this.#load();
      return;
    }
    this.#observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) this.#load();
      },
      { rootMargin: '200px' },
    );
    this.#observer.observe(this);
  }

  disconnectedCallback() {
    this.#observer?.disconnect();
    this.#observer = null;
    this.#controller?.pause();
  }

  /** Starts or stops training (the Play button does the same). */
  play() {
    this.#controller?.play();
  }

  pause() {
    this.#controller?.pause();
  }

  #load() {
    this.#observer?.disconnect();
    this.#observer = null;
    if (this.#loading) return;
    const { autoplay, ...initial } = this.#options;
    // The core (and its .wasm) and the charts load side by side, not one after the other.
    const core = import('../core/index.js').then(({ loadNormCore }) => loadNormCore());
    this.#loading = Promise.all([import('./controller.js'), core])
      .then(([{ createController }, loaded]) =>
        createController(this, this.#ui, loaded, initial, {
          onFrame: () => this.setAttribute('data-frame', String(++this.#frames)),
          onChange: (detail) => this.#changed(detail),
        }),
      )
      .then((controller) => {
        this.#controller = controller;
        this.#changed(null);
        this.setAttribute('data-ready', '');
        const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
        if (autoplay && !reduced && this.isConnected) controller.play();
      })
      .catch((error) => this.#failed(error));
  }

  #changed(detail) {
    const state = this.#controller.state;
    this.setAttribute('data-stage', state.stage);
    if (!detail) return; // the first drawing is announced by data-ready, not as a change
    this.dispatchEvent(
      new CustomEvent('norm-widget-change', { bubbles: true, composed: true, detail }),
    );
  }

  #failed(error) {
    console.warn('<norm-widget>: could not start:', error);
    const ui = this.#ui;
    ui.root.querySelector('.widget').classList.add('failed');
    ui.error.hidden = false;
    ui.error.textContent =
      'The interactive demonstration could not start in this browser: ' +
      'it needs JavaScript modules and WebAssembly.';
    ui.status.textContent = '';
    this.setAttribute('data-error', String(error?.message ?? error));
  }
}
