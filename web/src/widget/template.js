// The widget's markup inside its shadow root, with the norm's wording from norms.js, and the
// references the other modules need. (No <output>: its implicit role is status, and the range
// already announces its value.) The markup interpolates only this repository's constants (limits,
// distribution labels, norms.js wording); every value that changes is filled in later through
// textContent or form properties.
import { normOf, withSymbols } from '../norms.js';
import { CHANNEL_MEANS, CHANNEL_STDS, DISTRIBUTIONS, LIMITS } from './population.js';

const range = (id, label, symbol, limits, note = '') => `
  <div class="field" data-field="${id}">
    <span class="head"><label for="${id}">${label}</label> <span class="symbol" aria-hidden="true">${symbol}</span></span>
    <span class="value" id="${id}-value" aria-hidden="true"></span>
    <input id="${id}" name="${id}" type="range" min="${limits.min}" max="${limits.max}" step="${limits.step}">
    ${note}
  </div>`;

const MARKUP = `
<div class="widget" part="widget">
  <div class="toolbar">
    <div class="buttons">
      <button type="button" class="primary" data-action="play" disabled>Play</button>
      <button type="button" data-action="step" disabled>Next stage</button>
      <button type="button" data-action="train" disabled>Training step</button>
    </div>
    <p class="figure-formula" data-part="formula"></p>
  </div>
  <ol class="stages" aria-label="Stages" data-part="stages"></ol>

  <div class="charts" data-part="charts" role="region" aria-label="Charts">
    <div class="sets" data-part="sets"></div>
  </div>
  <div class="tune" data-part="tune">
    <p class="try" data-part="try"></p>
    <div class="tune-batch">
      <div class="field">
        <label for="batch-size">Batch size</label>
        <input id="batch-size" name="batch-size" type="number" inputmode="numeric" min="${LIMITS.batchSize.min}" max="${LIMITS.batchSize.max}" step="1" disabled>
      </div>
      <div class="actions"><button type="button" data-action="resample" disabled>Resample</button></div>
      <div class="field wide-field" data-field="groups" hidden>
        <span class="head"><label for="groups">Groups</label> <span class="symbol" aria-hidden="true">G</span></span>
        <select id="groups" name="groups" aria-describedby="groups-note" disabled></select>
        <p class="note" id="groups-note">The channels split into G equal groups; each group of each example is normalised on its own.</p>
      </div>
    </div>
    <div class="tune-affine">
      <div class="field" data-field="affine-channel">
        <span class="head"><label for="affine-channel">γ and β of</label> <span class="symbol" aria-hidden="true">c</span></span>
        <select id="affine-channel" name="affine-channel" aria-describedby="affine-note" disabled></select>
        <p class="visually-hidden" id="affine-note">Each channel c has its own pair γ<sub>c</sub>, β<sub>c</sub>.</p>
      </div>
      ${range('gamma', 'Gamma', 'γ', LIMITS.gamma)}
      ${range('beta', 'Beta', 'β', LIMITS.beta, '<p class="note" id="beta-note" hidden></p>')}
    </div>
  </div>

  <figure class="wide">
    <figcaption data-part="wide-caption"></figcaption>
    <div class="chart-box tall" data-chart="wide"><canvas role="img" data-part="wide-canvas"></canvas></div>
  </figure>
  <p class="key"><span data-part="key"></span> <button type="button" class="small" data-action="fit" disabled>Fit axes</button></p>
  <p class="callout" data-part="callout" hidden></p>
  <p class="error" data-part="error" hidden></p>

  <div class="readout">
    <p class="status" role="status" aria-live="polite" data-part="status">Loading the interactive demonstration…</p>
    <details class="status-detail" data-part="status-details">
      <summary>Details</summary>
      <p data-part="status-detail"></p>
    </details>
  </div>

  <details class="disclosure" data-part="more">
    <summary>More settings</summary>
    <div class="more-fields">
      <div class="field">
        <label for="distribution">Distribution</label>
        <select id="distribution" name="distribution" disabled>
          ${Object.entries(DISTRIBUTIONS)
            .map(([key, d]) => `<option value="${key}">${d.label}</option>`)
            .join('')}
        </select>
      </div>
      <div class="field">
        <label for="seed">Seed</label>
        <input id="seed" name="seed" type="number" inputmode="numeric" min="${LIMITS.seed.min}" max="${LIMITS.seed.max}" step="1" disabled>
      </div>
      <div class="field">
        <span class="head"><label for="eps">Epsilon</label> <span class="symbol" aria-hidden="true">ε</span></span>
        <input id="eps" name="eps" type="number" min="${LIMITS.eps.min}" max="${LIMITS.eps.max}" step="0.00001" disabled>
      </div>
    </div>
  </details>

  <details class="disclosure training" data-part="training">
    <summary data-part="training-summary">Over training steps</summary>
    <div class="training-charts" data-part="training-charts">
      <figure>
        <figcaption>Mean per training step</figcaption>
        <div class="chart-box" data-chart="train-mean"><canvas role="img" aria-label="Line chart of the batch mean, running mean and population mean of each channel per training step; the same numbers are in the text below"></canvas></div>
      </figure>
      <figure>
        <figcaption>Standard deviation per training step</figcaption>
        <div class="chart-box" data-chart="train-std"><canvas role="img" aria-label="Line chart of the batch standard deviation, running standard deviation and population value of each channel per training step; the same numbers are in the text below"></canvas></div>
      </figure>
    </div>
    <p class="legend" data-part="training-legend">
      <span data-part="channel-swatches"></span>
      <span class="swatch neutral thin"></span>this batch <span class="swatch neutral thick"></span>running estimate
      <span class="swatch neutral dashed"></span>population
    </p>
    <fieldset class="running" data-part="running">
      <legend data-part="running-legend">Running statistics</legend>
      ${range('momentum', 'Momentum', 'α', LIMITS.momentum)}
      <fieldset class="mode">
        <legend>Mode</legend>
        <label><input type="radio" name="mode" value="training" disabled> Training</label>
        <label><input type="radio" name="mode" value="inference" disabled> Inference</label>
      </fieldset>
      <p class="note" id="mode-note" data-part="mode-note" hidden></p>
      <div class="actions" data-part="reset"><button type="button" data-action="reset" disabled>Reset running statistics</button></div>
    </fieldset>
    <p class="training-text" data-part="training-text"></p>
    <p class="legend" data-part="example-legend">Example 1 of the batch through the layer: its output y with this batch's statistics (training) and with the running statistics (inference). The highlighted column is the current mode.</p>
    <table class="example" data-part="example">
      <caption>Example 1</caption>
      <thead>
        <tr><th scope="col">Ch.</th><th scope="col">x</th><th scope="col" data-mode="training">y training</th><th scope="col" data-mode="inference">y inference</th></tr>
      </thead>
      <tbody></tbody>
    </table>
  </details>
</div>`;

// The stage list of a norm (norms.js): a button per stage it goes through (named by the stage;
// its formula is the figure's formula, lit at that stage), and a struck-out note for a stage it
// skips, where it would have been. The formulas carry the symbols of `mode` (renderStages).
function stageList(description, mode) {
  const order = ['raw', 'centred', 'scaled', 'shifted'];
  return order
    .map((id) => {
      const stage = description.stages.find((s) => s.id === id);
      if (stage) {
        const formula = withSymbols(description, stage.formula, mode);
        const inner = `${stage.label} <span class="formula" aria-hidden="true">${formula}</span>`;
        return `<li data-stage="${id}"><button type="button" data-stage="${id}" aria-pressed="false" disabled>${inner}</button></li>`;
      }
      const why = description.skips[id];
      return why ? `<li data-stage="${id}" class="skipped"><s>${id}</s> skipped: ${why}</li>` : '';
    })
    .join('');
}

/**
 * The figure's formula for `norm` in `mode`, each part a span; a part with a term carries
 * data-term, lit (class "lit") while the stage that applies it is shown.
 */
export function renderFormula(element, norm, mode) {
  const description = normOf(norm);
  element.innerHTML = description.formula
    .map(({ text, term }) => {
      const html = withSymbols(description, text, mode);
      return term ? `<span class="term" data-term="${term}">${html}</span>` : html;
    })
    .join('');
}

/** Re-writes the stage buttons' formulas with the symbols of `mode`. */
export function renderStageFormulas(ui, mode) {
  const description = normOf(ui.norm);
  for (const button of ui.stageButtons) {
    const stage = description.stages.find((s) => s.id === button.dataset.stage);
    button.querySelector('.formula').innerHTML = withSymbols(description, stage.formula, mode);
  }
}

const capitalised = (text) => text[0].toUpperCase() + text.slice(1);

let template = null;

/** Fills `root` (a shadow root) with the markup for `norm`; returns the parts other modules use. */
export function buildUi(root, norm) {
  const description = normOf(norm);
  if (!template) {
    template = document.createElement('template');
    template.innerHTML = MARKUP;
  }
  root.replaceChildren(template.content.cloneNode(true));
  const one = (selector) => root.querySelector(selector);
  const { widget } = description;
  one('[data-part="stages"]').innerHTML = stageList(description, 'training');
  renderFormula(one('[data-part="formula"]'), norm, 'training');
  one('[data-part="key"]').innerHTML = widget.key;
  one('[data-part="try"]').innerHTML = widget.try;
  one('[data-part="wide-caption"]').innerHTML = widget.wide.caption;
  one('[data-part="wide-canvas"]').setAttribute('aria-label', widget.wide.label);
  // Group norm's G: the other norms have no such parameter.
  if (description.takesGroups) one('[data-field="groups"]').hidden = false;
  else one('[data-field="groups"]').remove();
  if (!description.runningStats) withoutRunningStats(root, description);
  if (!description.shift) withoutShift(root, description);
  return {
    root,
    norm,
    buttons: {
      play: one('[data-action="play"]'),
      step: one('[data-action="step"]'),
      train: one('[data-action="train"]'),
      resample: one('[data-action="resample"]'),
      reset: one('[data-action="reset"]'),
      fit: one('[data-action="fit"]'),
    },
    inputs: {
      batchSize: one('#batch-size'),
      distribution: one('#distribution'),
      seed: one('#seed'),
      groups: one('#groups'),
      affineChannel: one('#affine-channel'),
      gamma: one('#gamma'),
      beta: one('#beta'),
      eps: one('#eps'),
      momentum: one('#momentum'),
    },
    outputs: {
      gamma: one('#gamma-value'),
      beta: one('#beta-value'),
      momentum: one('#momentum-value'),
    },
    modes: [...root.querySelectorAll('input[name="mode"]')],
    stages: [...root.querySelectorAll('.stages li')],
    stageButtons: [...root.querySelectorAll('.stages button[data-stage]')],
    formula: one('[data-part="formula"]'),
    callout: one('[data-part="callout"]'),
    charts: one('[data-part="charts"]'),
    sets: one('[data-part="sets"]'),
    wideBox: one('[data-chart="wide"]'),
    trainingBoxes: description.runningStats
      ? [one('[data-chart="train-mean"]'), one('[data-chart="train-std"]')]
      : [],
    channelSwatches: one('[data-part="channel-swatches"]'),
    error: one('[data-part="error"]'),
    status: one('[data-part="status"]'),
    statusDetail: one('[data-part="status-detail"]'),
    trainingText: one('[data-part="training-text"]'),
    example: one('[data-part="example"]'),
  };
}

// A norm without running statistics: the training charts go, Mode is fixed and says why, and the
// example table compares example 1 within the batch and alone.
function withoutRunningStats(root, description) {
  const one = (selector) => root.querySelector(selector);
  const name = description.label;
  const capital = capitalised(name);
  one('[data-part="training-charts"]').remove();
  one('[data-part="training-legend"]').remove();
  one('[data-field="momentum"]').remove();
  one('[data-part="reset"]').remove();
  one('[data-part="running-legend"]').textContent = 'Training and inference';
  one('[data-part="training-summary"]').textContent = 'Example 1 alone and in the batch';
  // Without running statistics a training step is just the next batch.
  one('[data-action="train"]').textContent = 'Next batch';
  const note = one('[data-part="mode-note"]');
  note.hidden = false;
  note.textContent = `${capital} has no running statistics: training and inference are identical.`;
  for (const radio of root.querySelectorAll('input[name="mode"]')) {
    radio.dataset.off = 'true';
    radio.setAttribute('aria-describedby', 'mode-note');
  }
  one('[data-part="example-legend"]').textContent =
    'Example 1 through the layer, within this batch and on its own (a batch of one), ' +
    'at the first position of each channel. ' +
    `The two outputs are the same: ${name} never looks at the other examples, ` +
    'so there is nothing that could differ between training and inference.';
  const head = one('[data-part="example"] thead tr');
  head.replaceChildren(
    ...['Ch.', 'x', 'y in the batch', 'y alone'].map((text) => {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      return th;
    }),
  );
}

// A norm without β (RMS norm): the slider stays, fixed, with a note saying why.
function withoutShift(root, description) {
  const note = root.querySelector('#beta-note');
  note.textContent = `${capitalised(description.label)} has no shift β: it only scales.`;
  note.hidden = false;
  const beta = root.querySelector('#beta');
  beta.dataset.off = 'true';
  beta.setAttribute('aria-describedby', 'beta-note');
  root.querySelector('[data-field="beta"]').classList.add('off');
}

/** A histogram's figure: caption, note and a chart box (the view mounts the chart in it). */
export function histogramFigure(label, note) {
  const figure = document.createElement('figure');
  const caption = document.createElement('figcaption');
  caption.append(label);
  if (note) {
    const span = document.createElement('span');
    span.className = 'note';
    span.textContent = ` (${note})`;
    caption.append(span);
  }
  const box = document.createElement('div');
  box.className = 'chart-box';
  box.dataset.chart = 'histogram';
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute(
    'aria-label',
    `Histogram of ${label.toLowerCase()} at the current stage; its statistics are in the status text`,
  );
  box.append(canvas);
  figure.append(caption, box);
  return { figure, box };
}

/** Batch norm's note on a channel's population. */
export function channelNote(ch) {
  return `population mean ${CHANNEL_MEANS[ch]}, std ${CHANNEL_STDS[ch]}`;
}
