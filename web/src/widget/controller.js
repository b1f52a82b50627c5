// The part of the widget loaded when it comes into view (with Chart.js): connects the core,
// state, view and controls. Controls call the actions; state changes redraw the view.
import { calloutText } from './callouts.js';
import { bindControls, setEnabled, syncControls, syncStage } from './controls.js';
import { createEngine } from './engine.js';
import { DEFAULTS, LIMITS } from './population.js';
import { addPytorchPanel, snippetOf } from './pytorch-panel.js';
import { renderExample, shortStatus, statusText, trainingText } from './status.js';
import { WidgetState } from './state.js';
import { renderFormula, renderStageFormulas } from './template.js';
import { WidgetView } from './view.js';

const STAGE_MS = 600; // one stage to the next
const PARAM_MS = 250; // a slider nudge
const TICK_MS = 700; // one beat of Play: the next stage, or after the last one a new batch
const TICK_TWEEN_MS = 450; // one batch to the next while playing

/**
 * @param {HTMLElement} host
 * @param {ReturnType<import('./template.js').buildUi>} ui
 * @param {object} core  the loaded normalisation core (loadNormCore())
 * @param {object} initial  parameters from the attributes
 * @param {{ onFrame: () => void, onChange: (detail: object) => void }} hooks
 */
export function createController(host, ui, core, initial, hooks) {
  return new Controller(
    host,
    ui,
    createEngine(core, initial.norm ?? DEFAULTS.norm),
    initial,
    hooks,
  );
}

class Controller {
  constructor(host, ui, engine, initial, hooks) {
    this.ui = ui;
    this.hooks = hooks;
    this.state = new WidgetState(engine, initial);
    this.view = new WidgetView(ui, host, engine, { onFrame: hooks.onFrame });
    this.playing = false;
    this.pytorch = addPytorchPanel(ui.root, () => snippetOf(this.state));

    bindControls(ui, this.state.params, {
      set: (changes) => this.#guard(() => this.state.set(changes)),
      step: () => this.#guard(() => this.state.nextStage()),
      train: () => this.#guard(() => this.state.tick()),
      goTo: (stage) => this.#guard(() => this.state.setStage(stage)),
      fit: () => this.view.show(this.state, { ms: PARAM_MS, rescale: true }),
      togglePlay: () => (this.playing ? this.pause() : this.play()),
      resample: () =>
        this.#guard(() => this.state.set({ seed: freshSeed(this.state.params.seed) })),
      reset: () => this.#guard(() => this.state.resetTraining()),
      current: () => this.state.params,
      playing: () => this.playing,
    });
    this.state.addEventListener('change', (event) => this.#changed(event.detail.what));

    this.colourScheme = matchMedia('(prefers-color-scheme: dark)');
    this.onScheme = () => this.view.refreshTheme(this.state);
    this.colourScheme.addEventListener('change', this.onScheme);

    syncControls(ui, this.state.params, false);
    syncStage(ui, this.state.stage);
    setEnabled(ui, true);
    this.view.show(this.state, { ms: 0 });
    this.#showTraining();
    this.#describe();
  }

  play() {
    if (this.playing) return;
    this.playing = true;
    this.ui.status.setAttribute('aria-busy', 'true'); // announce once on pause, not every step
    this.view.animator.play(() => this.#guard(() => this.state.advance()), TICK_MS);
    syncControls(this.ui, this.state.params, true);
    this.#announce();
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    this.view.animator.pause();
    this.ui.status.removeAttribute('aria-busy');
    syncControls(this.ui, this.state.params, false);
    this.#announce();
  }

  /** Parameter changes from the page (the element's attributes), as if made with the controls. */
  update(changes) {
    if (Object.keys(changes).length > 0) this.#guard(() => this.state.set(changes));
  }

  /** The whole state, as the change event's detail and the element's `state` property give it. */
  snapshot() {
    const { params, stage, step } = this.state;
    return {
      norm: this.state.norm,
      distribution: params.distribution,
      batchSize: params.batchSize,
      channels: params.channels,
      groups: params.groups,
      seed: params.seed,
      gamma: params.gamma,
      beta: params.beta,
      eps: params.eps,
      momentum: params.momentum,
      mode: params.mode,
      stage,
      playing: this.playing,
      step,
    };
  }

  destroy() {
    this.pause();
    this.colourScheme.removeEventListener('change', this.onScheme);
    this.view.destroy();
  }

  #changed(what) {
    const { state, view } = this;
    if (what === 'stage') {
      view.show(state, { ms: STAGE_MS, rescale: false });
    } else if (what === 'params') {
      // γ, β, ε and the mode move the values on axes that stay put (Fit axes refits them).
      view.show(state, { ms: PARAM_MS, rescale: false });
      this.#showSymbols();
    } else if (what === 'sets') {
      view.show(state, { ms: STAGE_MS });
    } else if (what === 'batch') {
      view.show(state, { ms: this.playing ? TICK_TWEEN_MS : STAGE_MS, grow: this.playing });
      this.#showTraining();
    }
    syncStage(this.ui, state.stage);
    syncControls(this.ui, state.params, this.playing);
    this.#describe();
    this.#announce();
  }

  // The formula's symbols follow the mode: batch statistics in training, running ones in inference.
  #showSymbols() {
    const mode = this.state.params.mode;
    if (this.ui.formula.dataset.mode === mode) return;
    this.ui.formula.dataset.mode = mode;
    renderFormula(this.ui.formula, this.state.norm, mode);
    renderStageFormulas(this.ui, mode);
  }

  // Batch norm's training charts, and the legend of their channel colours.
  #showTraining() {
    const { state, ui } = this;
    if (!state.hasRunning) return;
    this.view.showTraining(state);
    const c = state.shape.c;
    if (ui.channelSwatches.childElementCount !== c) {
      // Each swatch stays with its label; the spaces between items let the line wrap.
      ui.channelSwatches.replaceChildren(
        ...Array.from({ length: c }, (_, ch) => {
          const item = document.createElement('span');
          item.className = 'item';
          const swatch = document.createElement('span');
          swatch.className = `swatch set-${ch + 1}`;
          item.append(swatch, `channel ${ch + 1}`);
          return [item, ' '];
        }).flat(),
        '· ',
      );
    }
  }

  // Text that always matches the state (the status line follows the target of any animation).
  #describe() {
    const { state, ui } = this;
    ui.status.textContent = shortStatus(state);
    ui.statusDetail.textContent = statusText(state);
    const callout = calloutText(state);
    ui.callout.hidden = callout === '';
    ui.callout.textContent = callout;
    ui.trainingText.textContent = trainingText(state);
    renderExample(ui.example, state);
    this.pytorch.refresh();
  }

  #announce() {
    this.hooks.onChange(this.snapshot());
  }

  // A core error (none is expected: the controls only offer valid values) is shown, not thrown.
  #guard(action) {
    try {
      action();
    } catch (error) {
      this.pause();
      this.ui.status.textContent = `Something went wrong: ${error.message}`;
      console.warn('<norm-widget>:', error);
    }
  }
}

function freshSeed(previous) {
  let seed = previous;
  while (seed === previous) seed = Math.floor(Math.random() * 100000);
  return Math.min(seed, LIMITS.seed.max);
}
