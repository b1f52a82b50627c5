// Form controls: show the state's parameters, and turn the reader's input into state changes.
// Only native controls (button, input, select), so keyboard use and accessible names come free.
import { LIMITS } from './population.js';

const NUMBER_FIELDS = {
  batchSize: { ...LIMITS.batchSize, whole: true },
  seed: { ...LIMITS.seed, whole: true },
  eps: { ...LIMITS.eps, whole: false },
};

const RANGE_FIELDS = ['gamma', 'beta', 'momentum'];

const formatRange = (name, value) => (name === 'momentum' ? value.toFixed(2) : value.toFixed(1));

/** Writes the parameters into the controls (for changes that did not come from them). */
export function syncControls(ui, params, playing) {
  for (const name of [...Object.keys(NUMBER_FIELDS), ...RANGE_FIELDS, 'distribution']) {
    const input = ui.inputs[name];
    // Leave a field the reader is typing in alone (it already holds the value, or their draft).
    if (input.getRootNode().activeElement !== input) {
      input.value = String(params[name]);
      input.removeAttribute('aria-invalid');
    }
  }
  for (const name of RANGE_FIELDS) ui.outputs[name].textContent = formatRange(name, params[name]);
  for (const radio of ui.modes) radio.checked = radio.value === params.mode;
  ui.buttons.play.textContent = playing ? 'Pause' : 'Play';
}

/** Marks the current stage in the stage list. */
export function syncStage(ui, stage) {
  for (const li of ui.stages) {
    if (li.dataset.stage === stage) li.setAttribute('aria-current', 'step');
    else li.removeAttribute('aria-current');
  }
}

export function setEnabled(ui, enabled) {
  const all = [...Object.values(ui.buttons), ...Object.values(ui.inputs), ...ui.modes];
  for (const control of all) control.disabled = !enabled;
}

/**
 * @param {ReturnType<import('./template.js').buildUi>} ui
 * @param {{ set: (changes: object) => void, step: () => void, togglePlay: () => void,
 *           resample: () => void, reset: () => void, current: () => object }} actions
 */
export function bindControls(ui, actions) {
  ui.buttons.play.addEventListener('click', () => actions.togglePlay());
  ui.buttons.step.addEventListener('click', () => actions.step());
  ui.buttons.resample.addEventListener('click', () => actions.resample());
  ui.buttons.reset.addEventListener('click', () => actions.reset());

  for (const [name, limits] of Object.entries(NUMBER_FIELDS)) {
    const input = ui.inputs[name];
    const parse = () => {
      const text = input.value.trim();
      const value = Number(text);
      const ok = text !== '' && Number.isFinite(value) && (!limits.whole || Number.isInteger(value)) &&
        value >= limits.min && value <= limits.max;
      return ok ? value : null;
    };
    // While typing, apply each complete valid value; an incomplete one (e.g. "1" on the way to
    // "128") is only marked, so the chart does not jump to a batch the reader did not ask for.
    input.addEventListener('input', () => {
      const value = parse();
      if (value === null) {
        input.setAttribute('aria-invalid', 'true');
        return;
      }
      input.removeAttribute('aria-invalid');
      actions.set({ [name]: value });
    });
    // On commit (Enter or leaving the field), an invalid entry snaps to the nearest valid value.
    input.addEventListener('change', () => {
      let value = parse();
      if (value === null) {
        const typed = Number(input.value);
        const fallback = actions.current()[name];
        value = Number.isFinite(typed) && input.value.trim() !== ''
          ? Math.min(limits.max, Math.max(limits.min, limits.whole ? Math.round(typed) : typed))
          : fallback;
        input.value = String(value);
        input.removeAttribute('aria-invalid');
        actions.set({ [name]: value });
      }
    });
  }

  for (const name of RANGE_FIELDS) {
    const input = ui.inputs[name];
    input.addEventListener('input', () => {
      const value = Number(input.value);
      ui.outputs[name].textContent = formatRange(name, value);
      actions.set({ [name]: value });
    });
  }

  ui.inputs.distribution.addEventListener('change', () => actions.set({ distribution: ui.inputs.distribution.value }));
  for (const radio of ui.modes) {
    radio.addEventListener('change', () => {
      if (radio.checked) actions.set({ mode: radio.value });
    });
  }
}
