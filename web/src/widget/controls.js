// Form controls: show the state's parameters, and turn the reader's input into state changes.
// Only native controls (button, input, select), so keyboard use and accessible names come free.
// Controls a norm has no use for are absent (momentum, reset) or fixed and marked data-off
// (Mode for the per-example norms, β for RMS norm), with a note saying why.
import { groupChoices, normOf } from '../norms.js';
import { limitsFor } from './population.js';

const RANGE_FIELDS = ['gamma', 'beta', 'momentum'];

const formatRange = (name, value) => (name === 'momentum' ? value.toFixed(2) : value.toFixed(1));

function numberFields(norm) {
  const limits = limitsFor(norm);
  return {
    batchSize: { ...limits.batchSize, whole: true },
    seed: { ...limits.seed, whole: true },
    eps: { ...limits.eps, whole: false },
  };
}

/** Writes the parameters into the controls (for changes that did not come from them). */
export function syncControls(ui, params, playing) {
  for (const name of ['batchSize', 'seed', 'eps', ...RANGE_FIELDS, 'distribution', 'groups']) {
    const input = ui.inputs[name];
    if (!input) continue;
    // Leave a field the reader is typing in alone (it already holds the value, or their draft).
    if (input.getRootNode().activeElement !== input) {
      input.value = String(params[name]);
      input.removeAttribute('aria-invalid');
    }
  }
  for (const name of RANGE_FIELDS)
    if (ui.outputs[name]) ui.outputs[name].textContent = formatRange(name, params[name]);
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
  const all = [...Object.values(ui.buttons), ...Object.values(ui.inputs), ...ui.modes].filter(
    Boolean,
  );
  for (const control of all) control.disabled = !enabled || control.dataset.off === 'true';
}

/**
 * @param {ReturnType<import('./template.js').buildUi>} ui
 * @param {object} params  the initial parameters (the norm, its channels)
 * @param {{ set: (changes: object) => void, step: () => void, togglePlay: () => void,
 *           resample: () => void, reset: () => void, current: () => object }} actions
 */
export function bindControls(ui, params, actions) {
  const fields = numberFields(params.norm);
  ui.inputs.batchSize.min = String(fields.batchSize.min);
  ui.inputs.batchSize.max = String(fields.batchSize.max);
  if (normOf(params.norm).takesGroups) {
    ui.inputs.groups.replaceChildren(
      ...groupChoices(params.channels).map((g) => new Option(String(g), String(g))),
    );
    ui.inputs.groups.addEventListener('change', () =>
      actions.set({ groups: Number(ui.inputs.groups.value) }),
    );
  }

  ui.buttons.play.addEventListener('click', () => actions.togglePlay());
  ui.buttons.step.addEventListener('click', () => actions.step());
  ui.buttons.resample.addEventListener('click', () => actions.resample());
  ui.buttons.reset?.addEventListener('click', () => actions.reset());

  for (const [name, limits] of Object.entries(fields)) {
    const input = ui.inputs[name];
    const parse = () => {
      const text = input.value.trim();
      const value = Number(text);
      const ok =
        text !== '' &&
        Number.isFinite(value) &&
        (!limits.whole || Number.isInteger(value)) &&
        value >= limits.min &&
        value <= limits.max;
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
        value =
          Number.isFinite(typed) && input.value.trim() !== ''
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
    if (!input) continue;
    input.addEventListener('input', () => {
      const value = Number(input.value);
      ui.outputs[name].textContent = formatRange(name, value);
      actions.set({ [name]: value });
    });
  }

  ui.inputs.distribution.addEventListener('change', () =>
    actions.set({ distribution: ui.inputs.distribution.value }),
  );
  for (const radio of ui.modes) {
    radio.addEventListener('change', () => {
      if (radio.checked) actions.set({ mode: radio.value });
    });
  }
}
