// Form controls: show the state's parameters, and turn the reader's input into state changes.
// Only native controls (button, input, select), so keyboard use and accessible names come free.
// Controls a norm has no use for are absent (momentum, reset) or fixed and marked data-off
// (Mode for the per-example norms, β for RMS norm), with a note saying why.
import { groupChoices, normOf } from '../norms.js';
import { limitsFor } from './population.js';

const RANGE_FIELDS = ['gamma', 'beta', 'momentum'];

const formatRange = (name, value) => (name === 'momentum' ? value.toFixed(2) : value.toFixed(1));

// γ and β are a pair per channel (γ_c, β_c): the Channel control picks which pair the sliders
// edit, or all of them at once ('all', the default).
const AFFINE = ['gamma', 'beta'];

/** The channel whose γ and β the sliders show and edit (from 0), or -1 for all channels. */
function affineChannel(ui) {
  const value = ui.inputs.affineChannel?.value ?? 'all';
  return value === 'all' ? -1 : Number(value);
}

/** The value the slider of `name` shows: a number, or the chosen channel's entry of γ or β. */
function shown(ui, params, name) {
  const value = params[name];
  if (!AFFINE.includes(name)) return value;
  return value[Math.max(0, affineChannel(ui))];
}

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
    // Leave a field the reader is typing in alone (it already holds the value, or their draft); a
    // slider has no draft, and shows another channel's γ or β when the Channel control changes.
    if (input.type === 'range' || input.getRootNode().activeElement !== input) {
      input.value = String(shown(ui, params, name));
      input.removeAttribute('aria-invalid');
    }
  }
  for (const name of RANGE_FIELDS) {
    if (ui.outputs[name]) ui.outputs[name].textContent = formatRange(name, shown(ui, params, name));
  }
  for (const radio of ui.modes) radio.checked = radio.value === params.mode;
  ui.buttons.play.textContent = playing ? 'Pause' : 'Play';
}

/**
 * Marks the current stage: its item in the stage list (aria-current), its button (pressed), and
 * the term of the figure's formula that this stage applies (lit).
 */
export function syncStage(ui, stage) {
  for (const li of ui.stages) {
    if (li.dataset.stage === stage) li.setAttribute('aria-current', 'step');
    else li.removeAttribute('aria-current');
  }
  for (const button of ui.stageButtons) {
    button.setAttribute('aria-pressed', String(button.dataset.stage === stage));
  }
  const term = normOf(ui.norm).stages.find((s) => s.id === stage)?.term ?? null;
  for (const part of ui.formula.querySelectorAll('[data-term]')) {
    part.classList.toggle('lit', part.dataset.term === term);
  }
  ui.formula.dataset.stage = stage;
}

export function setEnabled(ui, enabled) {
  const all = [
    ...Object.values(ui.buttons),
    ...ui.stageButtons,
    ...Object.values(ui.inputs),
    ...ui.modes,
  ].filter(Boolean);
  for (const control of all) control.disabled = !enabled || control.dataset.off === 'true';
}

/**
 * @param {ReturnType<import('./template.js').buildUi>} ui
 * @param {object} params  the initial parameters (the norm, its channels)
 * @param {{ set: (changes: object) => void, step: () => void, train: () => void,
 *           goTo: (stage: string) => void, fit: () => void, togglePlay: () => void,
 *           resample: () => void, reset: () => void, current: () => object,
 *           playing: () => boolean }} actions
 *   step: the next stage; train: the next batch (a training step); goTo: a stage; fit: refit
 *   the axes to the values (they stay put otherwise, so that γ's stretch is seen)
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
  ui.buttons.train.addEventListener('click', () => actions.train());
  ui.buttons.fit.addEventListener('click', () => actions.fit());
  for (const button of ui.stageButtons) {
    button.addEventListener('click', () => actions.goTo(button.dataset.stage));
  }
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
      if (!AFFINE.includes(name)) {
        actions.set({ [name]: value });
        return;
      }
      // One channel's entry, or every channel's.
      const ch = affineChannel(ui);
      const next = actions.current()[name].map((old, k) => (ch === -1 || k === ch ? value : old));
      actions.set({ [name]: next });
    });
  }
  const channel = ui.inputs.affineChannel;
  channel.replaceChildren(
    new Option('all channels', 'all'),
    ...Array.from({ length: params.channels }, (_, k) => new Option(`channel ${k + 1}`, String(k))),
  );
  channel.addEventListener('change', () => syncControls(ui, actions.current(), actions.playing()));

  ui.inputs.distribution.addEventListener('change', () =>
    actions.set({ distribution: ui.inputs.distribution.value }),
  );
  for (const radio of ui.modes) {
    radio.addEventListener('change', () => {
      if (radio.checked) actions.set({ mode: radio.value });
    });
  }
}
