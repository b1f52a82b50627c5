// The widget's markup inside its shadow root, and the references the other modules need.
// (No <output>: its implicit role is status, and the range already announces its value.)
// Static text only: every value is filled in later through textContent or form properties.
import { CHANNEL_MEANS, CHANNEL_STDS, DISTRIBUTIONS, LIMITS } from './population.js';

const channelNote = (ch) => `population mean ${CHANNEL_MEANS[ch]}, std ${CHANNEL_STDS[ch]}`;

const range = (id, label, symbol, limits) => `
  <div class="field">
    <span class="head"><label for="${id}">${label}</label> <span class="symbol" aria-hidden="true">${symbol}</span></span>
    <span class="value" id="${id}-value" aria-hidden="true"></span>
    <input id="${id}" name="${id}" type="range" min="${limits.min}" max="${limits.max}" step="${limits.step}">
  </div>`;

const MARKUP = `
<div class="widget" part="widget">
  <div class="toolbar">
    <div class="buttons">
      <button type="button" class="primary" data-action="play" disabled>Play</button>
      <button type="button" data-action="step" disabled>Step</button>
    </div>
    <ol class="stages" aria-label="Stages">
      <li data-stage="raw">raw <span class="formula">x</span></li>
      <li data-stage="centred">centred <span class="formula">x − μ<sub>B</sub></span></li>
      <li data-stage="scaled">scaled <span class="formula">x̂ = (x − μ<sub>B</sub>) / √(σ²<sub>B</sub> + ε)</span></li>
      <li data-stage="shifted">scaled and shifted <span class="formula">γ·x̂ + β</span></li>
    </ol>
  </div>

  <div class="charts" data-part="charts">
    <figure>
      <figcaption>Channel 1 <span class="note">(${channelNote(0)})</span></figcaption>
      <div class="chart-box" data-chart="hist-0"><canvas role="img" aria-label="Histogram of channel 1 at the current stage; its mean and standard deviation are in the status text"></canvas></div>
    </figure>
    <figure>
      <figcaption>Channel 2 <span class="note">(${channelNote(1)})</span></figcaption>
      <div class="chart-box" data-chart="hist-1"><canvas role="img" aria-label="Histogram of channel 2 at the current stage; its mean and standard deviation are in the status text"></canvas></div>
    </figure>
    <figure class="wide">
      <figcaption>Channel 1 against channel 2 <span class="note">(one dot per example in the batch)</span></figcaption>
      <div class="chart-box tall" data-chart="scatter"><canvas role="img" aria-label="Scatter plot of the two channels at the current stage"></canvas></div>
    </figure>
  </div>
  <p class="error" data-part="error" hidden></p>
  <p class="key"><span class="swatch"></span>batch mean μ<sub>B</sub> <span class="swatch dashed"></span>μ<sub>B</sub> ± σ<sub>B</sub> (statistics of the values shown)</p>

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
          ${Object.entries(DISTRIBUTIONS).map(([key, d]) => `<option value="${key}">${d.label}</option>`).join('')}
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
      ${range('gamma', 'Gamma', 'γ', LIMITS.gamma)}
      ${range('beta', 'Beta', 'β', LIMITS.beta)}
      <div class="field">
        <span class="head"><label for="eps">Epsilon</label> <span class="symbol" aria-hidden="true">ε</span></span>
        <input id="eps" name="eps" type="number" min="${LIMITS.eps.min}" max="${LIMITS.eps.max}" step="0.00001" disabled>
      </div>
    </fieldset>

    <fieldset>
      <legend>Running statistics</legend>
      ${range('momentum', 'Momentum', 'α', LIMITS.momentum)}
      <fieldset class="mode">
        <legend>Mode</legend>
        <label><input type="radio" name="mode" value="training" disabled> Training</label>
        <label><input type="radio" name="mode" value="inference" disabled> Inference</label>
      </fieldset>
      <div class="actions"><button type="button" data-action="reset" disabled>Reset running statistics</button></div>
    </fieldset>
  </div>

  <div class="training">
    <div class="charts">
      <figure>
        <figcaption>Mean per training step</figcaption>
        <div class="chart-box" data-chart="train-mean"><canvas role="img" aria-label="Line chart of the batch mean, running mean and population mean of each channel per training step; the same numbers are in the text below"></canvas></div>
      </figure>
      <figure>
        <figcaption>Standard deviation per training step</figcaption>
        <div class="chart-box" data-chart="train-std"><canvas role="img" aria-label="Line chart of the batch standard deviation, running standard deviation and population value of each channel per training step; the same numbers are in the text below"></canvas></div>
      </figure>
    </div>
    <p class="legend">
      <span class="swatch ch1"></span>channel 1 <span class="swatch ch2"></span>channel 2 ·
      <span class="swatch neutral thin"></span>this batch <span class="swatch neutral thick"></span>running estimate
      <span class="swatch neutral dashed"></span>population
    </p>
    <p class="training-text" data-part="training-text"></p>
    <p class="legend">Example #0 of the batch through the layer: its output y with this batch's statistics (training) and with the running statistics (inference). The highlighted column is the current mode.</p>
    <table class="example" data-part="example">
      <caption>Example #0</caption>
      <thead>
        <tr><th scope="col">Ch.</th><th scope="col">x</th><th scope="col" data-mode="training">y training</th><th scope="col" data-mode="inference">y inference</th></tr>
      </thead>
      <tbody></tbody>
    </table>
  </div>
</div>`;

let template = null;

/** Fills `root` (a shadow root) with the widget's markup; returns the parts other modules use. */
export function buildUi(root) {
  if (!template) {
    template = document.createElement('template');
    template.innerHTML = MARKUP;
  }
  root.replaceChildren(template.content.cloneNode(true));
  const one = (selector) => root.querySelector(selector);
  return {
    root,
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
      gamma: one('#gamma'),
      beta: one('#beta'),
      eps: one('#eps'),
      momentum: one('#momentum'),
    },
    outputs: { gamma: one('#gamma-value'), beta: one('#beta-value'), momentum: one('#momentum-value') },
    modes: [...root.querySelectorAll('input[name="mode"]')],
    stages: [...root.querySelectorAll('.stages li')],
    charts: one('[data-part="charts"]'),
    chartBoxes: Object.fromEntries([...root.querySelectorAll('[data-chart]')].map((el) => [el.dataset.chart, el])),
    error: one('[data-part="error"]'),
    status: one('[data-part="status"]'),
    trainingText: one('[data-part="training-text"]'),
    example: one('[data-part="example"]'),
  };
}
