// <norm-running-statistics>: during training batch norm normalises with each batch's own μ_B and
// σ_B, and keeps running estimates for inference. The reader plays (or steps) through training and
// sees the batch statistics jump from batch to batch while the running ones climb from PyTorch's
// start (mean 0, std 1) towards the data set's; momentum sets how fast and how smoothly. All
// numbers from the core (running-statistics-data.js).
import {
  fitChart,
  format,
  onWidthChange,
  prefersReducedMotion,
  ProseFigure,
  scale,
  svg,
} from './figure-kit.js';
import {
  DEFAULT_MOMENTUM,
  MOMENTA,
  STEPS,
  dataSet,
  trajectory,
} from './running-statistics-data.js';

const HEIGHT = 150;
const LEFT = 34;
const TOP = 8;
const BOTTOM = HEIGHT - 24;
const STEP_MS = 90;
// Fixed value ranges (the data set has mean ≈ 3 and std ≈ 2), so nothing refits while playing.
const CHARTS = [
  { id: 'mean', batch: 'batchMean', running: 'runningMean', range: [-1, 6], ticks: [0, 2, 4, 6] },
  { id: 'std', batch: 'batchStd', running: 'runningStd', range: [0, 4], ticks: [0, 1, 2, 3, 4] },
];

const MARKUP = `
<div class="figure">
  <p class="try">Try: press Play. The batch statistics (dots) jump from batch to batch, while the running estimates (line) climb from PyTorch’s start, mean 0 and standard deviation 1, and settle near the data set’s (dashed). With a smaller momentum they move more slowly and more smoothly; with a larger one they follow each batch more closely.</p>
  <div class="control">
    <label for="momentum">Momentum</label>
    <select id="momentum" disabled>
      ${MOMENTA.map((m) => `<option value="${m}"${m === DEFAULT_MOMENTUM ? ' selected' : ''}>${m}</option>`).join('')}
    </select>
    <button type="button" data-action="play" disabled>Play</button>
    <button type="button" data-action="step" disabled>Next training step</button>
    <button type="button" data-action="reset" disabled>Reset</button>
  </div>
  <p class="chart-title" id="mean-title">Mean over ${STEPS} training steps</p>
  <svg class="chart" data-chart="mean" viewBox="0 0 600 ${HEIGHT}" role="img" aria-labelledby="mean-title"></svg>
  <p class="chart-title" id="std-title">Standard deviation over ${STEPS} training steps</p>
  <svg class="chart" data-chart="std" viewBox="0 0 600 ${HEIGHT}" role="img" aria-labelledby="std-title"></svg>
  <ul class="legend">
    <li><span class="swatch"></span>this step’s batch (μ<sub>B</sub>, σ<sub>B</sub>)</li>
    <li><span class="swatch line"></span>running estimate</li>
    <li><span class="swatch reference"></span>whole data set</li>
  </ul>
  <p class="summary" role="status" aria-live="polite">Loading…</p>
</div>`;

export class NormRunningStatistics extends ProseFigure {
  #core = null;
  #data = null;
  #path = null;
  #step = 0;
  #timer = null;

  constructor() {
    super(MARKUP);
  }

  disconnectedCallback() {
    this.#pause();
  }

  ready(core) {
    this.#core = core;
    this.#data = dataSet(core);
    const root = this.shadowRoot;
    const select = root.querySelector('#momentum');
    select.addEventListener('change', () => {
      this.#path = null; // the same batches, trained again with the new momentum
      this.#show();
    });
    root.querySelector('[data-action="play"]').addEventListener('click', () => {
      if (this.#timer) this.#pause();
      else this.#play();
    });
    root.querySelector('[data-action="step"]').addEventListener('click', () => {
      this.#pause();
      this.#goTo(this.#step + 1);
    });
    root.querySelector('[data-action="reset"]').addEventListener('click', () => {
      this.#pause();
      this.#goTo(0);
    });
    for (const el of root.querySelectorAll('select, button')) el.disabled = false;
    this.#show();
    onWidthChange(this, () => this.#show());
  }

  #play() {
    if (this.#step >= STEPS) this.#goTo(0);
    // Without motion, Play shows the finished run at once rather than animating it.
    if (prefersReducedMotion()) {
      this.#goTo(STEPS);
      return;
    }
    this.shadowRoot.querySelector('[data-action="play"]').textContent = 'Pause';
    this.#timer = setInterval(() => {
      this.#goTo(this.#step + 1);
      if (this.#step >= STEPS) this.#pause();
    }, STEP_MS);
  }

  #pause() {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    const play = this.shadowRoot.querySelector('[data-action="play"]');
    if (play) play.textContent = 'Play';
  }

  #goTo(step) {
    this.#step = Math.max(0, Math.min(STEPS, step));
    this.#show();
  }

  #show() {
    const root = this.shadowRoot;
    const momentum = Number(root.querySelector('#momentum').value);
    this.#path ??= trajectory(this.#core, this.#data.batches, momentum);
    const path = this.#path;
    const t = this.#step;
    for (const chart of CHARTS) this.#draw(chart, path, t);
    root.querySelector('[data-action="step"]').disabled = t >= STEPS;

    const population = this.#data;
    const gap = Math.abs(path.runningMean[t] - population.mean);
    root.querySelector('.summary').textContent =
      t === 0
        ? `Before training, momentum ${momentum}: the running mean is 0 and the running standard ` +
          `deviation 1; the data set’s are ${format(population.mean)} and ${format(population.std)}.`
        : `Step ${t} of ${STEPS}, momentum ${momentum}: running mean ${format(path.runningMean[t])} ` +
          `(data set ${format(population.mean)}, this batch ${format(path.batchMean[t])}); running ` +
          `standard deviation ${format(path.runningStd[t])} (data set ${format(population.std)}, ` +
          `this batch ${format(path.batchStd[t])}).`;
    this.dataset.step = String(t);
    this.dataset.runningMean = String(path.runningMean[t]);
    this.dataset.populationMean = String(population.mean);
    this.dataset.gap = String(gap);
  }

  #draw({ id, batch, running, range, ticks }, path, t) {
    const chart = this.shadowRoot.querySelector(`[data-chart="${id}"]`);
    const right = fitChart(chart, HEIGHT) - 12;
    const x = scale(0, STEPS, LEFT, right);
    const y = scale(range[0], range[1], BOTTOM, TOP);
    const clamp = (v) => y(Math.min(Math.max(v, range[0]), range[1]));
    const parts = [];
    for (const tick of ticks) {
      parts.push(svg('line', { class: 'grid', x1: LEFT, x2: right, y1: y(tick), y2: y(tick) }));
      const label = svg('text', {
        x: LEFT - 6,
        y: y(tick) + 4,
        'text-anchor': 'end',
        class: 'muted',
      });
      label.textContent = String(tick);
      parts.push(label);
    }
    parts.push(svg('line', { class: 'axis', x1: LEFT, x2: right, y1: BOTTOM, y2: BOTTOM }));
    for (const step of [0, 25, 50, 75, 100]) {
      const label = svg('text', {
        x: x(step),
        y: HEIGHT - 6,
        'text-anchor': 'middle',
        class: 'muted',
      });
      label.textContent = step === 0 ? 'step 0' : String(step);
      parts.push(label);
    }
    const whole = id === 'mean' ? this.#data.mean : this.#data.std;
    parts.push(
      svg('line', { class: 'reference', x1: LEFT, x2: right, y1: y(whole), y2: y(whole) }),
    );
    for (let s = 1; s <= t; s++) {
      parts.push(svg('circle', { class: 'dot', cx: x(s), cy: clamp(path[batch][s]), r: 2.5 }));
    }
    let d = '';
    for (let s = 0; s <= t; s++)
      d += `${s === 0 ? 'M' : 'L'}${x(s).toFixed(1)},${clamp(path[running][s]).toFixed(1)}`;
    parts.push(svg('path', { class: 'line', d }));
    parts.push(svg('circle', { class: 'dot second', cx: x(t), cy: clamp(path[running][t]), r: 4 }));
    chart.replaceChildren(...parts);
  }
}

if (!customElements.get('norm-running-statistics')) {
  customElements.define('norm-running-statistics', NormRunningStatistics);
}
