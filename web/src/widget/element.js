// <norm-widget>: the custom element. Owns the shadow root, reads its attributes (and follows
// later changes to them), loads the heavy part (core and charts) when it nears the viewport, and
// reports its state to the page through data-* attributes and a `norm-widget-change` event.
//
//   <norm-widget norm="batch" distribution="normal" batch-size="64" seed="1" autoplay></norm-widget>
//   <norm-widget norm="group" batch-size="2" channels="6"></norm-widget>
//
// What is drawn: a histogram per set of values normalised together (batch norm: per channel;
// layer and RMS norm: per example; instance norm: per channel of each example; group norm: per
// group of each example), at most 8: the first 8 sets. The wide chart shows channels 1 and 2 against
// each other (batch norm) or every set side by side (the others); the controls that change them
// (batch size, Resample, group norm's G, γ_c and β_c) sit between the two, the rest behind "More
// settings". The status line gives the stage and the range of the sets' means and spreads; its
// Details give each drawn set's mean and std (RMS norm: and rms), and summarise any further sets.
// Only batch norm keeps running statistics (training charts, Mode, in "Over training steps"); for
// the others Mode is fixed, with a note.
// The JSDoc on the class is the source of custom-elements.json (npm run manifest).
import { ATTRIBUTES, readAttributes } from './attributes.js';
import { defaultsFor, initialParams } from './population.js';
import { figureKey, fragmentFor, stateFromFragment } from './url-state.js';
import { widgetStyles } from './styles.js';
import { buildUi } from './template.js';

/**
 * An animated figure of one normalisation (batch, layer, instance, group or RMS) computed by the
 * WebAssembly core: a sampled batch, its sets of values normalised together, and the stages raw →
 * centred → scaled → scaled and shifted. Every attribute is observed (a change after connecting
 * redraws the figure) and mirrored by a property; an invalid value falls back to its default with
 * a console warning.
 *
 * @tagname norm-widget
 * @summary An interactive figure of batch, layer, instance, group or RMS normalisation.
 *
 * @attr {"batch" | "layer" | "instance" | "group" | "rms"} norm - The operation shown (default
 *   batch). RMS norm has no centring and its last stage is γ·x̂, with no β.
 * @attr {"normal" | "lognormal" | "bimodal" | "student-t"} distribution - The population the batch
 *   is drawn from (default normal).
 * @attr {number} batch-size - Examples per batch: batch norm 2..1024 (default 64); the other norms
 *   1..8 (default 4 for layer and RMS norm, 2 for instance and group norm).
 * @attr {number} channels - Channels (features) per example: batch norm 2..8 (default 2); the other
 *   norms 1..8 (default 4), each channel holding 64 spatial positions.
 * @attr {number} seed - Seed of the first batch, a whole number ≥ 0 (default 1).
 * @attr {boolean} autoplay - Start playing once loaded, unless the reader prefers reduced motion.
 * @attr {boolean} keep-url - Leave the page's URL alone. Without it the figure keeps its state in
 *   the URL fragment (named by its id, else figure-1, figure-2, … in page order): a link reopens
 *   the figure as it was, and back/forward step between its states.
 * @attr {""} data-ready - Set by the element once the core has loaded and the first batch is drawn.
 * @attr {"raw" | "centred" | "scaled" | "shifted"} data-stage - Set by the element: the stage on show.
 * @attr {number} data-frame - Set by the element: animation frames drawn so far.
 * @attr {string} data-error - Set by the element when loading failed: the reason.
 *
 * @fires {CustomEvent<NormWidgetState>} norm-widget-change - After every change the reader or the
 *   page makes (stage, parameters, play/pause, a training step). Bubbles and crosses shadow roots;
 *   `detail` is the whole state: norm, distribution, batchSize, channels, groups, seed, gamma, beta,
 *   eps, momentum, mode, stage, playing, step.
 *
 * @cssprop --norm-widget-accent - Buttons and the stage marker (not the sets' colours).
 * @cssprop --norm-widget-accent-1 - Colour of set 1 (channel 1, example 1, …).
 * @cssprop --norm-widget-accent-2 - Colour of set 2.
 * @cssprop --norm-widget-accent-3 - Colour of set 3.
 * @cssprop --norm-widget-accent-4 - Colour of set 4.
 * @cssprop --norm-widget-accent-5 - Colour of set 5.
 * @cssprop --norm-widget-accent-6 - Colour of set 6.
 * @cssprop --norm-widget-accent-7 - Colour of set 7.
 * @cssprop --norm-widget-accent-8 - Colour of set 8.
 * @cssprop --norm-widget-on-accent - Text on accent-coloured buttons.
 * @cssprop --norm-widget-bg - Background.
 * @cssprop --norm-widget-fg - Text colour.
 * @cssprop --norm-widget-muted - Secondary text.
 * @cssprop --norm-widget-border - Borders and rules.
 * @cssprop --norm-widget-grid - Chart grid lines.
 * @cssprop --norm-widget-stat - Mean and standard deviation markers on the charts.
 * @cssprop --norm-widget-focus - Keyboard focus ring.
 */
export class NormWidget extends HTMLElement {
  static get observedAttributes() {
    return [...Object.keys(ATTRIBUTES), 'keep-url'];
  }

  #ui = null;
  #controller = null;
  #loading = null;
  #observer = null;
  #frames = 0;
  #options = null;
  #built = null; // the options the current controller was made from
  #remade = false; // the figure was made again for a new norm or channel count: announce it
  #restoring = false; // applying a state from the URL: do not write it back
  #lastWrite = 0;
  #onHistory = () => this.#restoreFromUrl();

  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).adoptedStyleSheets = [widgetStyles()];
  }

  connectedCallback() {
    addEventListener('popstate', this.#onHistory);
    if (!this.#ui) {
      this.#options = this.#withUrlState(readAttributes(this));
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
    removeEventListener('popstate', this.#onHistory);
    this.#observer?.disconnect();
    this.#observer = null;
    this.#controller?.pause();
  }

  attributeChangedCallback(name, before, after) {
    // Before the first connection connectedCallback reads every attribute at once.
    if (!this.#ui || before === after || name === 'keep-url') return;
    this.#options = readAttributes(this);
    if (this.#controller) this.#apply();
  }

  /** @type {"batch" | "layer" | "instance" | "group" | "rms"} The operation shown (attribute norm). */
  get norm() {
    return this.#current('norm');
  }
  set norm(value) {
    this.setAttribute('norm', String(value));
  }

  /** @type {"normal" | "lognormal" | "bimodal" | "student-t"} The population (attribute distribution). */
  get distribution() {
    return this.#current('distribution');
  }
  set distribution(value) {
    this.setAttribute('distribution', String(value));
  }

  /** @type {number} Examples per batch (attribute batch-size). */
  get batchSize() {
    return this.#current('batchSize');
  }
  set batchSize(value) {
    this.setAttribute('batch-size', String(value));
  }

  /** @type {number} Channels per example (attribute channels). */
  get channels() {
    return this.#current('channels');
  }
  set channels(value) {
    this.setAttribute('channels', String(value));
  }

  /** @type {number} Seed of the first batch (attribute seed). */
  get seed() {
    return this.#current('seed');
  }
  set seed(value) {
    this.setAttribute('seed', String(value));
  }

  /** @type {boolean} Whether the figure plays once loaded (attribute autoplay). */
  get autoplay() {
    return this.hasAttribute('autoplay') && this.getAttribute('autoplay').trim() !== 'false';
  }
  set autoplay(value) {
    this.toggleAttribute('autoplay', Boolean(value));
  }

  /** @type {boolean} Whether the figure leaves the page's URL alone (attribute keep-url). */
  get keepUrl() {
    return this.hasAttribute('keep-url');
  }
  set keepUrl(value) {
    this.toggleAttribute('keep-url', Boolean(value));
  }

  /**
   * @type {NormWidgetState | null} A copy of the figure's whole state, as in the change event's
   *   detail; null until the core has loaded.
   */
  get state() {
    return this.#controller ? this.#controller.snapshot() : null;
  }

  /** Starts playing: one training step after another (the Play button does the same). */
  play() {
    this.#controller?.play();
  }

  /** Stops playing (the Pause button does the same). */
  pause() {
    this.#controller?.pause();
  }

  // A property reads the value in use: the figure's (the reader may have moved a control), else
  // the attribute's once validated (its default when invalid).
  #current(key) {
    const params = this.#controller?.state.params;
    if (params && key in params) return params[key];
    return (this.#options ?? readAttributes(this))[key];
  }

  #load() {
    this.#observer?.disconnect();
    this.#observer = null;
    if (this.#loading) return;
    // γ and β from the URL are per channel: set once the figure exists (it starts from scalars).
    const { autoplay, stage, gamma, beta, ...initial } = this.#options;
    const built = this.#options;
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
        this.#built = built;
        this.#changed(null);
        this.setAttribute('data-ready', '');
        const affine = { ...(gamma && { gamma }), ...(beta && { beta }) };
        this.#quietly(() => controller.update(affine));
        if (stage) this.#quietly(() => controller.state.setStage(stage));
        // Announced, but a figure made again for a state from the URL does not write it back.
        if (this.#remade === 'from-url') this.#quietly(() => this.#changed(controller.snapshot()));
        else if (this.#remade) this.#changed(controller.snapshot());
        this.#remade = false;
        const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
        if (autoplay && !reduced && this.isConnected) controller.play();
        // Attributes changed while the core was loading.
        if (this.#options !== built) this.#apply();
      })
      .catch((error) => this.#failed(error));
  }

  // Brings the figure in line with the attributes. A new norm or number of channels changes the
  // figure's layout and sets, so the figure is made again (the core is already loaded); the
  // batch's population, size and seed are parameters of the running figure.
  #apply() {
    const next = this.#options;
    const built = this.#built;
    if (next.norm !== built.norm || next.channels !== built.channels) {
      this.#rebuild();
      return;
    }
    const changes = {};
    for (const key of ['distribution', 'batchSize', 'seed']) {
      if (next[key] !== built[key]) changes[key] = next[key];
    }
    this.#built = next;
    this.#controller.update(changes);
    if (next.autoplay !== built.autoplay) {
      const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
      if (next.autoplay && !reduced) this.#controller.play();
      else this.#controller.pause();
    }
  }

  #rebuild(reason = true) {
    this.#controller.destroy();
    this.#controller = null;
    this.#loading = null;
    this.#built = null;
    this.#remade = reason;
    this.removeAttribute('data-ready');
    this.#ui = buildUi(this.shadowRoot, this.#options.norm);
    this.#load();
  }

  #changed(detail) {
    const state = this.#controller.state;
    this.setAttribute('data-stage', state.stage);
    if (!detail) return; // the first drawing is announced by data-ready, not as a change
    this.#writeUrl(detail);
    this.dispatchEvent(
      new CustomEvent('norm-widget-change', { bubbles: true, composed: true, detail }),
    );
  }

  // The attributes' options, overridden by what the URL fragment holds for this figure. A norm
  // from the fragment brings its own default batch size and channel count.
  #withUrlState(attributes) {
    if (this.keepUrl) return attributes;
    const found = stateFromFragment(location.hash, figureKey(this), attributes);
    if (!found) return attributes;
    const base =
      found.norm && found.norm !== attributes.norm
        ? { ...attributes, norm: found.norm, ...sizesOf(found.norm) }
        : attributes;
    return { ...base, ...found };
  }

  // Each change becomes a history entry; changes in quick succession (a slider dragged) replace
  // the entry they started rather than pile up behind the back button.
  #writeUrl(detail) {
    // While playing, the state moves on by itself: the URL takes it when the reader pauses.
    if (this.#restoring || this.keepUrl || detail.playing) return;
    const key = figureKey(this);
    const hash = fragmentFor(key, detail);
    if (hash === location.hash) return;
    const now = Date.now();
    const replace = now - this.#lastWrite < 800 && history.state?.normFigure === key;
    this.#lastWrite = now;
    if (replace) history.replaceState({ normFigure: key }, '', hash);
    else history.pushState({ normFigure: key }, '', hash);
  }

  // Back or forward: the state the fragment holds for this figure, or the attributes' when the
  // history entry is the page as first opened. Entries about other figures, or plain anchors,
  // leave this one alone.
  #restoreFromUrl() {
    if (!this.#controller || this.keepUrl) return;
    const key = figureKey(this);
    const about = new URLSearchParams(location.hash.slice(1)).get('figure');
    const firstEntry = about === null && location.hash.length <= 1 && history.state === null;
    if (about !== key && !firstEntry) return;
    const wanted = this.#withUrlState(readAttributes(this));
    this.#options = wanted;
    const controller = this.#controller;
    if (wanted.norm !== this.#built.norm || wanted.channels !== controller.state.params.channels) {
      this.#rebuild('from-url');
      return;
    }
    const { autoplay, stage = 'raw', gamma, beta, ...given } = wanted;
    const target = initialParams(wanted.norm, given, controller.state.engine.coreDefaults);
    target.gamma = gamma ?? new Array(target.channels).fill(target.gamma);
    target.beta = beta ?? new Array(target.channels).fill(target.beta);
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const changes = {};
    for (const field of [
      'distribution',
      'batchSize',
      'seed',
      'groups',
      'gamma',
      'beta',
      'eps',
      'mode',
    ]) {
      if (!same(target[field], controller.state.params[field])) changes[field] = target[field];
    }
    this.#built = wanted;
    this.#quietly(() => {
      controller.update(changes);
      controller.state.setStage(stage);
    });
  }

  #quietly(action) {
    this.#restoring = true;
    try {
      action();
    } finally {
      this.#restoring = false;
    }
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

function sizesOf(norm) {
  const { batchSize, channels } = defaultsFor(norm);
  return { batchSize, channels };
}

/**
 * @typedef {object} NormWidgetState
 * @property {"batch" | "layer" | "instance" | "group" | "rms"} norm
 * @property {"normal" | "lognormal" | "bimodal" | "student-t"} distribution
 * @property {number} batchSize
 * @property {number} channels
 * @property {number} groups  group norm's G (1 for the other norms)
 * @property {number} seed
 * @property {number[]} gamma  one per channel
 * @property {number[]} beta  one per channel
 * @property {number} eps
 * @property {number} momentum
 * @property {"training" | "inference"} mode
 * @property {"raw" | "centred" | "scaled" | "shifted"} stage
 * @property {boolean} playing
 * @property {number} step  training steps since the last reset
 */
