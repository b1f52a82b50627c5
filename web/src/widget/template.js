// The widget's markup inside its shadow root, the per-norm wording, and the references the other
// modules need. (No <output>: its implicit role is status, and the range already announces its
// value.) Static text only: every value is filled in later through textContent or form properties.
import { CHANNEL_MEANS, CHANNEL_STDS, DISTRIBUTIONS, LIMITS } from './population.js';
import { NORM_NAMES } from './sets.js';

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
      <button type="button" data-action="step" disabled>Step</button>
    </div>
    <ol class="stages" aria-label="Stages" data-part="stages"></ol>
  </div>

  <div class="charts" data-part="charts">
    <div class="sets" data-part="sets"></div>
    <figure class="wide">
      <figcaption data-part="wide-caption"></figcaption>
      <div class="chart-box tall" data-chart="wide"><canvas role="img" data-part="wide-canvas"></canvas></div>
    </figure>
  </div>
  <p class="error" data-part="error" hidden></p>
  <p class="key" data-part="key"></p>

  <p class="status" role="status" aria-live="polite" data-part="status">Loading the interactive demonstration…</p>

  <div class="panels">
    <fieldset>
      <legend>Mini-batch</legend>
      <div class="field">
        <label for="batch-size">Batch size</label>
        <input id="batch-size" name="batch-size" type="number" inputmode="numeric" min="${LIMITS.batchSize.min}" max="${LIMITS.batchSize.max}" step="1" disabled>
      </div>
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
      <div class="actions"><button type="button" data-action="resample" disabled>Resample</button></div>
    </fieldset>

    <fieldset>
      <legend>Layer parameters</legend>
      <div class="field" data-field="groups" hidden>
        <span class="head"><label for="groups">Groups</label> <span class="symbol" aria-hidden="true">G</span></span>
        <select id="groups" name="groups" aria-describedby="groups-note" disabled></select>
        <p class="note" id="groups-note">The channels split into G equal groups; each group of each example is normalised on its own.</p>
      </div>
      ${range('gamma', 'Gamma', 'γ', LIMITS.gamma)}
      ${range('beta', 'Beta', 'β', LIMITS.beta, '<p class="note" id="beta-note" hidden>RMS norm has no shift β: it only scales.</p>')}
      <div class="field">
        <span class="head"><label for="eps">Epsilon</label> <span class="symbol" aria-hidden="true">ε</span></span>
        <input id="eps" name="eps" type="number" min="${LIMITS.eps.min}" max="${LIMITS.eps.max}" step="0.00001" disabled>
      </div>
    </fieldset>

    <fieldset data-part="running">
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
  </div>

  <div class="training">
    <div class="charts" data-part="training-charts">
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
    <p class="training-text" data-part="training-text"></p>
    <p class="legend" data-part="example-legend">Example #0 of the batch through the layer: its output y with this batch's statistics (training) and with the running statistics (inference). The highlighted column is the current mode.</p>
    <table class="example" data-part="example">
      <caption>Example #0</caption>
      <thead>
        <tr><th scope="col">Ch.</th><th scope="col">x</th><th scope="col" data-mode="training">y training</th><th scope="col" data-mode="inference">y inference</th></tr>
      </thead>
      <tbody></tbody>
    </table>
  </div>
</div>`;

// The stage list of each norm. μ and σ² are the statistics of each set: of a channel over the
// batch (batch norm), or of one example, channel of an example, or group of an example.
const SET_STAGES = `
  <li data-stage="raw">raw <span class="formula">x</span></li>
  <li data-stage="centred">centred <span class="formula">x − μ</span></li>
  <li data-stage="scaled">scaled <span class="formula">x̂ = (x − μ) / √(σ² + ε)</span></li>
  <li data-stage="shifted">scaled and shifted <span class="formula">γ·x̂ + β</span></li>`;

const STAGE_LISTS = {
  batch: `
  <li data-stage="raw">raw <span class="formula">x</span></li>
  <li data-stage="centred">centred <span class="formula">x − μ<sub>B</sub></span></li>
  <li data-stage="scaled">scaled <span class="formula">x̂ = (x − μ<sub>B</sub>) / √(σ²<sub>B</sub> + ε)</span></li>
  <li data-stage="shifted">scaled and shifted <span class="formula">γ·x̂ + β</span></li>`,
  layer: SET_STAGES,
  instance: SET_STAGES,
  group: SET_STAGES,
  rms: `
  <li data-stage="raw">raw <span class="formula">x</span></li>
  <li data-stage="centred" class="skipped"><s>centred</s> skipped: RMS norm does not subtract the mean</li>
  <li data-stage="scaled">scaled <span class="formula">x̂ = x / √(mean(x²) + ε)</span></li>
  <li data-stage="shifted">gain, no shift <span class="formula">γ·x̂</span></li>`,
};

// What the lines drawn over the charts are.
const KEYS = {
  batch:
    '<span class="swatch"></span>batch mean μ<sub>B</sub> <span class="swatch dashed"></span>μ<sub>B</sub> ± σ<sub>B</sub> (statistics of the values shown)',
  layer:
    '<span class="swatch"></span>each example’s mean μ <span class="swatch dashed"></span>μ ± σ (statistics of the values shown)',
  instance:
    '<span class="swatch"></span>mean μ of each channel of each example <span class="swatch dashed"></span>μ ± σ (statistics of the values shown)',
  group:
    '<span class="swatch"></span>mean μ of each group of each example <span class="swatch dashed"></span>μ ± σ (statistics of the values shown)',
  rms: '<span class="swatch"></span>each example’s mean μ (never subtracted) <span class="swatch dashed"></span>± rms, the root mean square, around 0 (statistics of the values shown)',
};

const WIDE = {
  batch: {
    caption:
      'Channel 1 against channel 2 <span class="note">(one dot per example in the batch)</span>',
    label: 'Scatter plot of the first two channels at the current stage',
  },
  layer: {
    caption:
      'Every example <span class="note">(one column per example, one dot per value: each column is normalised on its own)</span>',
    label:
      'Strip chart of every example’s values at the current stage, one column per example; each example’s statistics are in the status text',
  },
  rms: {
    caption:
      'Every example <span class="note">(one column per example, one dot per value: each column is scaled on its own)</span>',
    label:
      'Strip chart of every example’s values at the current stage, one column per example; each example’s statistics are in the status text',
  },
  instance: {
    caption:
      'Every channel of every example <span class="note">(one column per example and channel: each column is normalised on its own)</span>',
    label:
      'Strip chart of the values at the current stage, one column per channel of each example; the statistics are in the status text',
  },
  group: {
    caption:
      'Every group of every example <span class="note">(one column per example and group: each column is normalised on its own)</span>',
    label:
      'Strip chart of the values at the current stage, one column per group of each example; the statistics are in the status text',
  },
};

let template = null;

/** Fills `root` (a shadow root) with the widget's markup for `norm`; returns the parts other modules use. */
export function buildUi(root, norm = 'batch') {
  if (!template) {
    template = document.createElement('template');
    template.innerHTML = MARKUP;
  }
  root.replaceChildren(template.content.cloneNode(true));
  const one = (selector) => root.querySelector(selector);
  one('[data-part="stages"]').innerHTML = STAGE_LISTS[norm];
  one('[data-part="key"]').innerHTML = KEYS[norm];
  one('[data-part="wide-caption"]').innerHTML = WIDE[norm].caption;
  one('[data-part="wide-canvas"]').setAttribute('aria-label', WIDE[norm].label);
  // Group norm's G: the other norms have no such parameter.
  if (norm === 'group') one('[data-field="groups"]').hidden = false;
  else one('[data-field="groups"]').remove();
  if (norm !== 'batch') perExampleUi(root, norm);
  return {
    root,
    norm,
    buttons: {
      play: one('[data-action="play"]'),
      step: one('[data-action="step"]'),
      resample: one('[data-action="resample"]'),
      reset: one('[data-action="reset"]'),
    },
    inputs: {
      batchSize: one('#batch-size'),
      distribution: one('#distribution'),
      seed: one('#seed'),
      groups: one('#groups'),
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
    charts: one('[data-part="charts"]'),
    sets: one('[data-part="sets"]'),
    wideBox: one('[data-chart="wide"]'),
    trainingBoxes:
      norm === 'batch' ? [one('[data-chart="train-mean"]'), one('[data-chart="train-std"]')] : [],
    channelSwatches: one('[data-part="channel-swatches"]'),
    error: one('[data-part="error"]'),
    status: one('[data-part="status"]'),
    trainingText: one('[data-part="training-text"]'),
    example: one('[data-part="example"]'),
  };
}

// The per-example norms: no running statistics (the training charts go, Mode is fixed and says
// why); RMS norm's missing β.
function perExampleUi(root, norm) {
  const one = (selector) => root.querySelector(selector);
  const name = NORM_NAMES[norm];
  const capital = name[0].toUpperCase() + name.slice(1);
  one('[data-part="training-charts"]').remove();
  one('[data-part="training-legend"]').remove();
  one('[data-field="momentum"]').remove();
  one('[data-part="reset"]').remove();
  one('[data-part="running-legend"]').textContent = 'Training and inference';
  const note = one('[data-part="mode-note"]');
  note.hidden = false;
  note.textContent = `${capital} has no running statistics: training and inference are identical.`;
  for (const radio of root.querySelectorAll('input[name="mode"]')) {
    radio.dataset.off = 'true';
    radio.setAttribute('aria-describedby', 'mode-note');
  }
  if (norm === 'rms') {
    const beta = one('#beta');
    beta.dataset.off = 'true';
    beta.setAttribute('aria-describedby', 'beta-note');
    one('#beta-note').hidden = false;
    one('[data-field="beta"]').classList.add('off');
  }
  one('[data-part="example-legend"]').textContent =
    `Example #0 through the layer, within this batch and on its own (a batch of one), at the first position of each channel. ` +
    `The two outputs are the same: ${name} never looks at the other examples, so there is nothing that could differ between training and inference.`;
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
