// <norm-lab>: two to four small networks trained live in a Web Worker by the core, from the same
// initial weights on the same batches, differing only in their normalisation. The element only
// draws: it sends settings to the worker and paints what comes back, a little per frame.
//
// Attributes (read when the element connects; a bad value falls back with a console warning):
//   preset="higher-lr"      start from a preset (presets.js); its button is shown pressed
//   norms="none,batch"      2 to 4 of none, batch, layer, group, rms
//   dataset, lr, init-scale, depth, batch-size, seed   the training settings
// State for scripts and tests: data-ready, data-step, data-playing, data-error.
import { readTheme } from '../widget/charts/setup.js';
import { LayersChart } from './charts/layers-chart.js';
import { RegionsView } from './charts/regions.js';
import { SeriesChart } from './charts/series-chart.js';
import { labStyles } from './styles.js';
import { findPreset, presetList } from './preset-view.js';
import {
  DEFAULTS,
  LIMITS,
  NORM_LABELS,
  formatSetting,
  fromSlider,
  readAttributes,
  toSlider,
} from './settings.js';
import { networkNames, networkSentence, statusText } from './status.js';
import { MARKUP, NET_MARKUP } from './template.js';

const FRAME_BUDGET_MS = 3;
const STATUS_EVERY_MS = 1000;

export class NormLab extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) {
      // Moved in the page: disconnecting ended the worker; start one again when in view.
      if (!this.worker) {
        this.resizeObserver?.observe(this.ui.nets);
        this.observer.observe(this);
      }
      return;
    }
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [labStyles()];
    root.innerHTML = MARKUP; // static markup only
    this.ui = {
      play: root.querySelector('[data-action="play"]'),
      reset: root.querySelector('[data-action="reset"]'),
      progress: root.querySelector('[data-part="progress"]'),
      status: root.querySelector('[data-part="status"]'),
      error: root.querySelector('[data-part="error"]'),
      presets: root.querySelector('[data-part="presets"]'),
      nets: root.querySelector('[data-part="nets"]'),
      legend: root.querySelector('[data-part="legend"]'),
      field: (name) => root.querySelector(`[name="${name}"]`),
      value: (name) => root.querySelector(`[data-value="${name}"]`),
      chart: (name) => root.querySelector(`[data-chart="${name}"]`),
    };
    const { preset, settings } = readAttributes(this);
    this.settings = settings;
    this.presetId = null;
    if (preset !== null) {
      const found = findPreset(preset);
      if (found) {
        this.settings = { ...DEFAULTS, ...found.settings };
        this.presetId = found.id;
      } else {
        console.warn(
          `<norm-lab>: preset="${preset}" is not one of ${presetList()
            .map((p) => p.id)
            .join(', ')}; using the defaults`,
        );
      }
    }
    this.playing = false;
    this.finished = false;
    this.step = 0;
    this.buildPresets();
    this.bindControls();
    // The worker, and with it the core's .wasm, loads only once the lab nears the viewport.
    this.observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this.observer.disconnect();
        this.startWorker();
      },
      { rootMargin: '200px' },
    );
    this.observer.observe(this);
  }

  disconnectedCallback() {
    this.observer?.disconnect();
    this.resizeObserver?.disconnect();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.worker?.terminate();
    this.worker = null;
    this.playing = false;
    this.removeAttribute('data-playing');
    this.removeAttribute('data-ready'); // until the new worker has built its networks
    this.ui.play.textContent = 'Play';
    this.setBusy(true);
  }

  buildPresets() {
    const items = presetList().map((preset) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.preset = preset.id;
      button.textContent = preset.label;
      button.disabled = true;
      const line = document.createElement('span');
      line.className = 'look-for';
      line.id = `look-for-${preset.id}`;
      line.textContent = preset.lookFor;
      button.setAttribute('aria-describedby', line.id);
      button.addEventListener('click', () => this.applyPreset(preset));
      li.append(button, line);
      return li;
    });
    this.ui.presets.replaceChildren(...items);
    this.markPreset();
  }

  markPreset() {
    for (const b of this.ui.presets.querySelectorAll('button')) {
      b.setAttribute('aria-pressed', String(b.dataset.preset === this.presetId));
    }
  }

  applyPreset(preset) {
    this.presetId = preset.id;
    this.settings = { ...DEFAULTS, ...preset.settings };
    this.markPreset();
    this.restart();
  }

  bindControls() {
    const { ui } = this;
    ui.play.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    ui.reset.addEventListener('click', () => this.restart());
    const onChange = (name, value) => {
      this.settings = { ...this.settings, [name]: value };
      this.presetId = null;
      this.markPreset();
      this.restart();
    };
    // Sliders show their value while dragged and restart the run when released (change).
    ui.field('lr').addEventListener('input', (e) => {
      ui.value('lr').textContent = formatSetting(fromSlider(Number(e.target.value), LIMITS.lr));
    });
    ui.field('lr').addEventListener('change', (e) =>
      onChange('lr', fromSlider(Number(e.target.value), LIMITS.lr)),
    );
    ui.field('init-scale').addEventListener('input', (e) => {
      ui.value('init-scale').textContent = formatSetting(
        fromSlider(Number(e.target.value), LIMITS.initScale),
      );
    });
    ui.field('init-scale').addEventListener('change', (e) =>
      onChange('initScale', fromSlider(Number(e.target.value), LIMITS.initScale)),
    );
    ui.field('depth').addEventListener('input', (e) => {
      ui.value('depth').textContent = e.target.value;
    });
    ui.field('depth').addEventListener('change', (e) => onChange('depth', Number(e.target.value)));
    ui.field('batch-size').addEventListener('change', (e) => {
      const v = Number(e.target.value);
      const { min, max } = LIMITS.batchSize;
      if (!Number.isInteger(v) || v < min || v > max) {
        e.target.value = this.settings.batchSize;
        return;
      }
      onChange('batchSize', v);
    });
    ui.field('dataset').addEventListener('change', (e) => onChange('dataset', e.target.value));
    this.onNormChange = onChange;
  }

  /** Puts the settings into the controls (after a preset or at start). */
  showSettings() {
    const { ui, settings } = this;
    ui.field('lr').value = toSlider(settings.lr, LIMITS.lr);
    ui.value('lr').textContent = formatSetting(settings.lr);
    ui.field('init-scale').value = toSlider(settings.initScale, LIMITS.initScale);
    ui.value('init-scale').textContent = formatSetting(settings.initScale);
    ui.field('depth').value = settings.depth;
    ui.value('depth').textContent = String(settings.depth);
    ui.field('batch-size').value = settings.batchSize;
    ui.field('dataset').value = settings.dataset;
    this.buildNets();
  }

  /** One card per network, with its norm's select, its regions and its layers chart. */
  buildNets() {
    const { norms } = this.settings;
    const names = networkNames(norms);
    if (this.cards?.length === norms.length) {
      this.cards.forEach((card, i) => {
        card.select.value = norms[i];
        card.name.textContent = `Network ${i + 1}`;
      });
    } else {
      for (const card of this.cards ?? []) card.layers.destroy();
      this.cards = norms.map((_, i) => this.buildCard(i));
      this.ui.nets.replaceChildren(...this.cards.map((c) => c.root));
    }
    this.ui.legend.replaceChildren(
      ...names.map((name, i) => {
        const li = document.createElement('li');
        li.dataset.index = String(i);
        const swatch = document.createElement('span');
        swatch.className = 'swatch';
        li.append(swatch, `Network ${i + 1}: ${name}`);
        return li;
      }),
    );
  }

  buildCard(i) {
    const root = document.createElement('figure');
    root.className = 'net';
    root.dataset.index = String(i);
    root.innerHTML = NET_MARKUP; // static markup only
    const select = root.querySelector('select');
    select.setAttribute('aria-label', `Network ${i + 1}: normalisation`);
    for (const [value, label] of Object.entries(NORM_LABELS)) select.add(new Option(label, value));
    select.value = this.settings.norms[i];
    select.addEventListener('change', () => {
      const norms = [...this.settings.norms];
      norms[i] = select.value;
      this.onNormChange('norms', norms);
    });
    const name = root.querySelector('.net-name');
    name.textContent = `Network ${i + 1}`;
    const canvas = root.querySelector('canvas.regions');
    canvas.setAttribute('aria-label', `Decision regions of network ${i + 1}`);
    root
      .querySelector('[data-chart="layers"] canvas')
      .setAttribute(
        'aria-label',
        `Pre-activations of each hidden layer of network ${i + 1} over training`,
      );
    // Charts need a laid-out container: created now that the card is about to be in the document.
    const card = { index: i, root, select, name, numbers: root.querySelector('.net-numbers') };
    card.regions = new RegionsView(canvas);
    card.layersBox = root.querySelector('[data-chart="layers"]');
    return card;
  }

  /** Charts and theme, once; then the worker (again after the element is moved in the page). */
  startWorker() {
    if (!this.curves) this.setupViews();
    try {
      this.worker = new Worker(new URL('./lab-worker.js', import.meta.url), { type: 'module' });
    } catch (error) {
      this.fail(error.message);
      return;
    }
    this.worker.onmessage = ({ data }) => this.onMessage(data);
    this.worker.onerror = (event) =>
      this.fail(event.message || 'the training worker failed to start');
    this.restart();
  }

  setupViews() {
    this.theme = readTheme(this);
    this.darkQuery = matchMedia('(prefers-color-scheme: dark)');
    this.onScheme = () => this.applyTheme();
    this.darkQuery.addEventListener('change', this.onScheme);
    this.showSettings();
    const redraw = () => this.scheduleDraw();
    const series = (name, options) =>
      new SeriesChart(this.ui.chart(name), options, this.theme, redraw);
    this.curves = {
      loss: series('loss', { title: 'loss', fromZero: true }),
      accuracy: series('accuracy', { title: 'accuracy', fixed: [0, 1] }),
      spread: series('spread', { title: 'loss spread', fromZero: true }),
      gradient: series('gradient', { title: 'gradient change', fromZero: true }),
    };
    // The decision-region canvases take their pixel size from their box when drawn.
    this.resizeObserver = new ResizeObserver(() => {
      for (const card of this.cards) card.regions.dirty = true;
      this.scheduleDraw();
    });
    this.resizeObserver.observe(this.ui.nets);
  }

  applyTheme() {
    this.theme = readTheme(this);
    const dark = this.darkQuery.matches;
    for (const chart of Object.values(this.curves)) chart.setTheme(this.theme);
    for (const card of this.cards) {
      card.layers?.setTheme(this.theme);
      card.regions.setDark(dark);
    }
    this.worker?.postMessage({ type: 'scheme', dark });
    this.scheduleDraw();
  }

  restart() {
    if (!this.worker) return;
    this.playing = false;
    this.finished = false;
    this.evalModes = null;
    this.showSettings();
    this.setBusy(true);
    this.worker.postMessage({
      type: 'start',
      settings: this.settings,
      dark: this.darkQuery.matches,
    });
  }

  play() {
    if (!this.worker || this.finished) return;
    this.playing = true;
    this.evalModes = null;
    this.setAttribute('data-playing', '');
    this.ui.play.textContent = 'Pause';
    this.worker.postMessage({ type: 'play' });
    this.updateStatus(true);
  }

  pause() {
    if (!this.worker) return;
    this.ui.play.textContent = 'Play';
    this.worker.postMessage({ type: 'pause' });
  }

  /** Controls are off while the worker builds new networks, so nothing is sent to a half state. */
  setBusy(busy) {
    for (const el of this.shadowRoot.querySelectorAll('button, input, select')) el.disabled = busy;
    if (!busy) this.ui.play.disabled = this.finished;
  }

  fail(message) {
    this.setAttribute('data-error', message);
    this.ui.error.hidden = false;
    this.ui.error.textContent = `The training lab could not run: ${message}`;
    this.ui.status.textContent = 'The training lab could not run.';
  }

  onMessage(data) {
    switch (data.type) {
      case 'reset':
        return this.onReset(data);
      case 'progress':
        return this.onProgress(data);
      case 'regions':
        return this.onRegions(data);
      case 'paused':
        this.playing = false;
        this.finished = data.finished;
        this.evalModes = data.evalModes;
        this.removeAttribute('data-playing');
        this.ui.play.textContent = 'Play';
        this.ui.play.disabled = this.finished;
        this.updateStatus(true);
        return undefined;
      case 'error':
        return this.fail(data.message);
      default:
        return undefined;
    }
  }

  onReset(data) {
    const { steps, depth, norms } = this.settings;
    for (const chart of Object.values(this.curves)) chart.reset(norms.length, steps);
    for (const card of this.cards) {
      card.layers ??= new LayersChart(card.layersBox, this.theme, card.index, () =>
        this.scheduleDraw(),
      );
      card.layers.reset(depth, steps);
      card.regions.setDark(this.darkQuery.matches);
      card.regions.reset(data);
    }
    this.onProgress(data);
    this.setBusy(false);
    this.removeAttribute('data-playing');
    this.ui.play.textContent = 'Play';
    this.updateStatus(true);
    this.setAttribute('data-ready', '');
  }

  onProgress(data) {
    this.step = data.step;
    this.nets = data.status;
    this.setAttribute('data-step', String(data.step));
    for (const point of data.curves ?? []) {
      this.curves.loss.push(
        point.step,
        point.nets.map((n) => n.loss),
      );
      this.curves.accuracy.push(
        point.step,
        point.nets.map((n) => n.accuracy),
      );
    }
    for (const point of data.landscape ?? []) {
      this.curves.spread.push(
        point.step,
        point.nets.map((n) => n.spread),
      );
      this.curves.gradient.push(
        point.step,
        point.nets.map((n) => n.gradientChange),
      );
    }
    for (const point of data.layers ?? []) {
      point.nets.forEach((q, i) => this.cards[i]?.layers?.push(point.step, q));
    }
    this.updateStatus(false);
    this.scheduleDraw();
  }

  onRegions({ maps }) {
    maps.forEach((map, i) => {
      const card = this.cards[i];
      if (!card) return;
      card.regions.setMap(map);
    });
    this.scheduleDraw();
  }

  /** The status region and the per-card numbers; the region at most once a second while playing. */
  updateStatus(now) {
    if (!this.nets) return;
    const names = networkNames(this.settings.norms);
    this.ui.progress.textContent = `step ${this.step} of ${this.settings.steps}`;
    this.cards.forEach((card, i) => {
      const n = this.nets[i];
      if (n)
        card.numbers.textContent = networkSentence(names[i], this.step, n).replace(/^[^:]+: /, '');
    });
    const t = performance.now();
    if (!now && this.lastStatus && t - this.lastStatus < STATUS_EVERY_MS) return;
    this.lastStatus = t;
    this.ui.status.textContent = statusText(this.settings.norms, this.step, this.nets, {
      playing: this.playing,
      finished: this.finished,
      evalModes: this.evalModes,
    });
  }

  scheduleDraw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drawSome();
    });
  }

  /**
   * Draws dirty views while the frame's budget allows, judged by what each view cost last time
   * (a moving average), so one frame never takes on more than fits; the rest wait for the next
   * frame, starting where this one stopped.
   */
  drawSome() {
    const start = performance.now();
    const views = [
      ...this.cards.map((c) => c.regions),
      ...Object.values(this.curves),
      ...this.cards.map((c) => c.layers).filter(Boolean),
    ];
    const n = views.length;
    let left = false;
    let drawn = 0;
    for (let k = 0; k < n; k++) {
      const index = ((this.turn ?? 0) + k) % n;
      const view = views[index];
      if (!view.dirty) continue;
      const spent = performance.now() - start;
      if (drawn > 0 && spent + (view.cost ?? 1) > FRAME_BUDGET_MS) {
        left = true;
        this.turn = index;
        break;
      }
      const t = performance.now();
      view.draw();
      view.cost = 0.7 * (view.cost ?? 1) + 0.3 * (performance.now() - t);
      drawn += 1;
    }
    if (left) this.scheduleDraw();
  }
}
