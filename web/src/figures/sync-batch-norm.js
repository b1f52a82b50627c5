// <norm-sync-batch-norm>: data-parallel training splits the batch over devices. Plain batch norm
// normalises each device's slice with that slice's own μ; synchronised batch norm (PyTorch's
// SyncBatchNorm) shares the whole batch's μ and σ. The reader picks the number of devices, toggles
// synchronisation and resamples; each device's row shows its values and the μ it uses. All numbers
// from the core (sync-batch-norm-data.js).
import { fitChart, format, onWidthChange, ProseFigure, scale, svg } from './figure-kit.js';
import {
  DEFAULT_DEVICES,
  DEVICE_CHOICES,
  FIRST_SEED,
  GLOBAL_BATCH,
  POPULATION,
  globalBatch,
  slices,
  syncBatchNorm,
} from './sync-batch-norm-data.js';

const LEFT = 78;
const ROW = 26;
const AXIS = [POPULATION.mean - 3, POPULATION.mean + 3];

const MARKUP = `
<div class="figure">
  <p class="try">Try: split the batch of ${GLOBAL_BATCH} over more devices and compare each device’s μ (orange mark) with the whole batch’s (dashed). On its own every device centres on a different μ, the more so the fewer examples it holds; tick “Synchronise” and all devices use the one μ of the whole batch.</p>
  <div class="control">
    <label for="devices">Devices</label>
    <select id="devices" disabled>
      ${DEVICE_CHOICES.map((d) => `<option value="${d}"${d === DEFAULT_DEVICES ? ' selected' : ''}>${d}</option>`).join('')}
    </select>
    <label class="check"><input type="checkbox" id="sync" disabled> Synchronise statistics (SyncBN)</label>
    <button type="button" data-action="resample" disabled>Resample</button>
  </div>
  <p class="chart-title" id="devices-title">Each device’s slice of the batch and the μ it normalises with</p>
  <svg class="chart" data-chart="devices" viewBox="0 0 600 120" role="img" aria-labelledby="devices-title"></svg>
  <ul class="legend">
    <li><span class="swatch"></span>an example on that device</li>
    <li><span class="swatch line"></span>μ the device uses</li>
    <li><span class="swatch reference"></span>the whole batch’s μ</li>
  </ul>
  <p class="summary" role="status" aria-live="polite">Loading…</p>
</div>`;

export class NormSyncBatchNorm extends ProseFigure {
  #core = null;
  #seed = FIRST_SEED;

  constructor() {
    super(MARKUP);
  }

  ready(core) {
    this.#core = core;
    const root = this.shadowRoot;
    root.querySelector('#devices').addEventListener('change', () => this.#show());
    root.querySelector('#sync').addEventListener('change', () => this.#show());
    root.querySelector('[data-action="resample"]').addEventListener('click', () => {
      this.#seed += 1;
      this.#show();
    });
    for (const el of root.querySelectorAll('select, input, button')) el.disabled = false;
    this.#show();
    onWidthChange(this, () => this.#show());
  }

  #show() {
    const root = this.shadowRoot;
    const devices = Number(root.querySelector('#devices').value);
    const synced = root.querySelector('#sync').checked;
    const x = globalBatch(this.#core, this.#seed);
    const r = syncBatchNorm(this.#core, x, devices);
    const used = synced ? Array(devices).fill(r.synced.mean) : [...r.perDevice.means];
    this.#draw(slices(x, devices), used, r.synced.mean);

    const list = used.map((m) => format(m)).join(', ');
    root.querySelector('.summary').textContent = synced
      ? `Synchronised: all ${devices} device${devices === 1 ? '' : 's'} use the whole batch’s ` +
        `μ = ${format(r.synced.mean)} and σ = ${format(r.synced.std)}.`
      : devices === 1
        ? `One device holds the whole batch: its μ is the batch’s, ${format(r.synced.mean)}.`
        : `Each of ${devices} devices uses its own μ: ${list}; the whole batch’s is ` +
          `${format(r.synced.mean)}.`;
    this.dataset.devices = String(devices);
    this.dataset.synced = String(synced);
    this.dataset.seed = String(this.#seed);
    this.dataset.means = JSON.stringify(used);
  }

  #draw(parts, used, wholeMean) {
    const chart = this.shadowRoot.querySelector('[data-chart="devices"]');
    const height = parts.length * ROW + 26;
    const right = fitChart(chart, height) - 12;
    const x = scale(AXIS[0], AXIS[1], LEFT, right);
    const clamp = (v) => x(Math.min(Math.max(v, AXIS[0]), AXIS[1]));
    const bottom = parts.length * ROW + 4;
    const out = [svg('line', { class: 'axis', x1: LEFT, x2: right, y1: bottom, y2: bottom })];
    for (let t = AXIS[0]; t <= AXIS[1]; t++) {
      const label = svg('text', {
        x: x(t),
        y: bottom + 16,
        'text-anchor': 'middle',
        class: 'muted',
      });
      label.textContent = t < 0 ? `−${-t}` : String(t);
      out.push(label);
    }
    const w = x(wholeMean);
    out.push(svg('line', { class: 'reference', x1: w, x2: w, y1: 0, y2: bottom }));
    parts.forEach((values, k) => {
      const cy = k * ROW + ROW / 2 + 2;
      const name = svg('text', { x: 0, y: cy + 4 });
      name.textContent = `device ${k + 1}`;
      out.push(name);
      out.push(svg('line', { class: 'grid', x1: LEFT, x2: right, y1: cy, y2: cy }));
      for (const v of values) out.push(svg('circle', { class: 'dot', cx: clamp(v), cy, r: 4 }));
      const m = clamp(used[k]);
      out.push(
        svg('line', { class: 'line', x1: m, x2: m, y1: cy - ROW / 2 + 2, y2: cy + ROW / 2 - 2 }),
      );
    });
    chart.replaceChildren(...out);
  }
}

if (!customElements.get('norm-sync-batch-norm')) {
  customElements.define('norm-sync-batch-norm', NormSyncBatchNorm);
}
