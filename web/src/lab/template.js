// The lab's markup inside its shadow root. Static text only: values, presets and network cards are
// filled in by the element through textContent and DOM methods.
import { DATASET_LABELS, LIMITS, SLIDER_STEPS } from './settings.js';

const logSlider = (id, label) => `
  <div class="field">
    <span class="head"><label for="${id}">${label}</label> <span class="value" data-value="${id}" aria-hidden="true"></span></span>
    <input id="${id}" name="${id}" type="range" min="0" max="${SLIDER_STEPS}" step="1" disabled>
  </div>`;

export const MARKUP = `
<div class="lab" part="lab">

  <div class="toolbar">
    <button type="button" class="primary" data-action="play" disabled>Play</button>
    <button type="button" data-action="reset" disabled>Reset</button>
    <span class="progress" data-part="progress" aria-hidden="true"></span>
  </div>

  <section class="presets-box" aria-labelledby="presets-title">
    <h3 id="presets-title" class="small-title">Presets</h3>
    <ul class="presets" data-part="presets"></ul>
  </section>

  <fieldset class="settings">
    <legend>Training, the same for every network</legend>
    ${logSlider('lr', 'Learning rate')}
    ${logSlider('init-scale', 'Initial weight scale')}
    <div class="field">
      <span class="head"><label for="depth">Hidden layers</label> <span class="value" data-value="depth" aria-hidden="true"></span></span>
      <input id="depth" name="depth" type="range" min="${LIMITS.depth.min}" max="${LIMITS.depth.max}" step="1" disabled>
    </div>
    <div class="field">
      <label for="batch-size">Batch size</label>
      <input id="batch-size" name="batch-size" type="number" inputmode="numeric" min="${LIMITS.batchSize.min}" max="${LIMITS.batchSize.max}" step="1" disabled>
    </div>
    <div class="field">
      <label for="dataset">Data set</label>
      <select id="dataset" name="dataset" disabled>
        ${Object.entries(DATASET_LABELS)
          .map(([key, label]) => `<option value="${key}">${label}</option>`)
          .join('')}
      </select>
    </div>
  </fieldset>

  <p class="status" role="status" aria-live="polite" data-part="status">Loading the training lab…</p>
  <p class="error" data-part="error" hidden></p>

  <div class="nets" data-part="nets"></div>

  <ul class="legend" data-part="legend" aria-label="Line colours"></ul>
  <div class="curves">
    <figure>
      <figcaption>Held-out loss</figcaption>
      <div class="chart-box" data-chart="loss"><canvas role="img" aria-label="Held-out loss of each network over training"></canvas></div>
    </figure>
    <figure>
      <figcaption>Held-out accuracy</figcaption>
      <div class="chart-box" data-chart="accuracy"><canvas role="img" aria-label="Held-out accuracy of each network over training"></canvas></div>
    </figure>
    <figure>
      <figcaption>Loss spread along the gradient <span class="note">max − min of the loss for steps from lr/4 to 4·lr</span></figcaption>
      <div class="chart-box" data-chart="spread"><canvas role="img" aria-label="Spread of the loss along the gradient direction over training"></canvas></div>
    </figure>
    <figure>
      <figcaption>Gradient change <span class="note">largest ‖∇L(w − ηg) − ∇L(w)‖ / ‖ηg‖ over the same steps</span></figcaption>
      <div class="chart-box" data-chart="gradient"><canvas role="img" aria-label="Change of the gradient along the gradient direction over training"></canvas></div>
    </figure>
  </div>
</div>`;

/** One network's card: its norm (the control next to what it changes), regions and layers. */
export const NET_MARKUP = `
  <div class="net-head">
    <span class="swatch" aria-hidden="true"></span>
    <label class="net-label"><span class="net-name"></span> <select name="norm"></select></label>
  </div>
  <p class="net-numbers" aria-hidden="true"></p>
  <div class="regions-box"><canvas class="regions" role="img"></canvas></div>
  <p class="caption">Decision regions (inference mode) and held-out points</p>
  <div class="chart-box short" data-chart="layers"><canvas role="img"></canvas></div>
  <p class="caption">Pre-activations per hidden layer (paler = earlier): median and 10th–90th percentile</p>`;
