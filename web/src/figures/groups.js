// <norm-groups>: group norm's G slides from layer norm (G = 1) to instance norm (G = C). The reader
// picks G among the divisors of C = 8 and draws new examples; shaded bands show which channels
// share statistics, each band's μ is marked on the input, and a callout says "equals layer norm" or
// "equals instance norm" only when the core's outputs agree to EQUAL_TOLERANCE. All numbers from
// the core (groups-data.js).
import {
  fitChart,
  format,
  formatTiny,
  onWidthChange,
  ProseFigure,
  scale,
  svg,
} from './figure-kit.js';
import {
  CHANNELS,
  DEFAULT_GROUPS,
  EQUAL_TOLERANCE,
  FIRST_SEED,
  GROUP_CHOICES,
  POSITIONS,
  groupsOf,
  sampleFor,
} from './groups-data.js';

const LEFT = 30;
const PANEL = 120;
const INPUT_AXIS = [-4, 5];
const OUTPUT_AXIS = [-3, 3];

const MARKUP = `
<div class="figure">
  <p class="try">Try: step G through 1, 2, 4 and 8. The shaded bands are the groups: channels in one band share one mean μ (orange line) and one standard deviation. At G = 1 one band holds every channel and the outputs equal layer norm’s; at G = 8 each channel is its own band and they equal instance norm’s.</p>
  <div class="control">
    <label for="groups">Groups G</label>
    <select id="groups" disabled>
      ${GROUP_CHOICES.map((g) => `<option value="${g}"${g === DEFAULT_GROUPS ? ' selected' : ''}>${g}</option>`).join('')}
    </select>
    <button type="button" data-action="new-example" disabled>New example</button>
  </div>
  <p class="chart-title" id="input-title">Input x: ${CHANNELS} channels of ${POSITIONS} values</p>
  <svg class="chart" data-chart="input" viewBox="0 0 600 ${PANEL}" role="img" aria-labelledby="input-title"></svg>
  <p class="chart-title" id="output-title">Group norm’s output y</p>
  <svg class="chart" data-chart="output" viewBox="0 0 600 ${PANEL}" role="img" aria-labelledby="output-title"></svg>
  <ul class="legend">
    <li><span class="swatch"></span>a value</li>
    <li><span class="swatch line"></span>its group’s μ</li>
    <li><span class="swatch band"></span>a group of channels</li>
  </ul>
  <p class="callout" hidden></p>
  <p class="summary" role="status" aria-live="polite">Loading…</p>
</div>`;

export class NormGroups extends ProseFigure {
  #core = null;
  #seed = FIRST_SEED;
  #x = null;
  #result = null;

  constructor() {
    super(MARKUP);
  }

  ready(core) {
    this.#core = core;
    const root = this.shadowRoot;
    root.querySelector('#groups').addEventListener('change', () => this.#show());
    root.querySelector('[data-action="new-example"]').addEventListener('click', () => {
      this.#seed += 1;
      this.#show();
    });
    for (const el of root.querySelectorAll('select, button')) el.disabled = false;
    this.#show();
    onWidthChange(this, () => this.#draw());
  }

  #show() {
    const root = this.shadowRoot;
    const groups = Number(root.querySelector('#groups').value);
    this.#x = this.#core.sample(sampleFor(this.#seed));
    const r = groupsOf(this.#core, this.#x, groups);
    this.#result = r;
    this.#draw();

    const tolerance = EQUAL_TOLERANCE.toExponential(0);
    const per = CHANNELS / groups;
    const callout = root.querySelector('.callout');
    const said = [];
    if (r.equalsLayer) {
      said.push(
        `G = ${groups}: one group holds all ${CHANNELS} channels, and the outputs equal layer ` +
          `norm’s (largest difference ${formatTiny(r.fromLayer)}, within ${tolerance}).`,
      );
    }
    if (r.equalsInstance) {
      said.push(
        `G = ${groups}: each channel is a group of its own, and the outputs equal instance ` +
          `norm’s (largest difference ${formatTiny(r.fromInstance)}, within ${tolerance}).`,
      );
    }
    callout.textContent = said.join(' ');
    callout.hidden = said.length === 0;

    const stats = Array.from(
      r.mean,
      (m, g) => `group ${g + 1}: μ ${format(m)}, σ ${format(r.std[g])}`,
    );
    root.querySelector('.summary').textContent =
      `G = ${groups}, ${per} channel${per === 1 ? '' : 's'} per group. ${stats.join('; ')}. ` +
      `Outputs differ from layer norm’s by up to ${format(r.fromLayer, 3)} and from instance ` +
      `norm’s by up to ${format(r.fromInstance, 3)}.`;
    this.dataset.groups = String(groups);
    this.dataset.seed = String(this.#seed);
  }

  #draw() {
    const r = this.#result;
    if (!r) return;
    this.#panel('input', this.#x, INPUT_AXIS, [-4, -2, 0, 2, 4], r.mean);
    this.#panel('output', r.y, OUTPUT_AXIS, [-2, 0, 2], null);
  }

  /** One panel: a band per group, the channels' values as dots, and `means` as lines per group. */
  #panel(name, values, domain, ticks, means) {
    const chart = this.shadowRoot.querySelector(`[data-chart="${name}"]`);
    const right = fitChart(chart, PANEL) - 4;
    const top = 16;
    const bottom = PANEL - 20;
    const y = scale(domain[0], domain[1], bottom, top);
    const at = (v) => y(Math.min(Math.max(v, domain[0]), domain[1]));
    const column = (right - LEFT) / CHANNELS;
    const groups = this.#result.groups;
    const per = CHANNELS / groups;
    const out = [];
    for (let g = 0; g < groups; g++) {
      const x0 = LEFT + g * per * column;
      const w = per * column;
      out.push(
        svg('rect', {
          class: g % 2 ? 'band alt' : 'band',
          x: x0 + 1,
          y: 0,
          width: w - 2,
          height: bottom + 2,
        }),
      );
      const label = svg('text', { x: x0 + w / 2, y: 11, 'text-anchor': 'middle', class: 'muted' });
      label.textContent = w >= 64 ? `group ${g + 1}` : String(g + 1);
      out.push(label);
      if (means) {
        const m = at(means[g]);
        out.push(svg('line', { class: 'line', x1: x0 + 4, x2: x0 + w - 4, y1: m, y2: m }));
      }
    }
    for (const t of ticks) {
      out.push(svg('line', { class: 'grid', x1: LEFT, x2: right, y1: y(t), y2: y(t) }));
      const label = svg('text', { x: LEFT - 4, y: y(t) + 4, 'text-anchor': 'end', class: 'muted' });
      label.textContent = t < 0 ? `−${-t}` : String(t);
      out.push(label);
    }
    for (let c = 0; c < CHANNELS; c++) {
      const cx = LEFT + (c + 0.5) * column;
      for (let s = 0; s < POSITIONS; s++) {
        const dx = (s - (POSITIONS - 1) / 2) * Math.min(5, column / 6);
        out.push(
          svg('circle', { class: 'dot', cx: cx + dx, cy: at(values[c * POSITIONS + s]), r: 3.5 }),
        );
      }
      const label = svg('text', { x: cx, y: bottom + 16, 'text-anchor': 'middle', class: 'muted' });
      label.textContent = `c${c + 1}`;
      out.push(label);
    }
    chart.replaceChildren(...out);
  }
}

if (!customElements.get('norm-groups')) customElements.define('norm-groups', NormGroups);
