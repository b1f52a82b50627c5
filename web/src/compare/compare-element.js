// <norm-compare>: one seeded [N, C, S] batch, normalised by all five methods through the core.
// The input is the batch unfolded (a tile per sample) and each method's panel draws it as Wu & He's
// cube; for the chosen value, its set is filled and the rest dimmed, in the input (for the method
// picked there) and in every panel's cube. Two experiments follow.
// Attributes: n (1-8), c (2, 3, 4, 6, 8), s (1-4), groups (divides c), seed.
import { MAX_N, drawBatch, firstSamples, withOtherSamples } from './batch-data.js';
import { buildBlock } from './block-grid.js';
import { batchDependence, invariance, verdict } from './experiments.js';
import { groupChoices, normOf } from '../norms.js';
import { METHODS, describeStats, refusalText, runMethod, setOf } from './methods.js';
import { compareStyles } from './styles.js';
import { MARKUP } from './template.js';
import { cubeSvg, voxelOutline } from '../set-cube.js';

const DEFAULTS = { n: 4, c: 4, s: 3, groups: 2, seed: 1 };
const CHANNEL_CHOICES = [2, 3, 4, 6, 8];
const LIMITS = { n: [1, MAX_N], s: [1, 4], seed: [0, 2 ** 31 - 2], c: [2, 8], groups: [1, 8] };

function readInteger(el, name, min, max) {
  const raw = el.getAttribute(name);
  if (raw === null) return DEFAULTS[name];
  const v = Number(raw);
  if (Number.isInteger(v) && v >= min && v <= max) return v;
  console.warn(
    `<norm-compare>: ${name}="${raw}" is not a whole number from ${min} to ${max}; using ${DEFAULTS[name]}`,
  );
  return DEFAULTS[name];
}

const setSize = (count) => (count === 1 ? 'Set of 1 value' : `Set of ${count} values`);
const LABEL = Object.fromEntries(METHODS.map(({ id, label }) => [id, label]));

/**
 * The five normalisations side by side on one seeded [N, C, S] batch, each drawn as a cube with
 * the set that shares statistics with a focused value filled. Attributes are read when it connects.
 *
 * @tagname norm-compare
 * @summary Batch, layer, instance, group and RMS normalisation compared on one batch.
 *
 * @attr {number} n - Examples, 1..8 (default 4).
 * @attr {2 | 3 | 4 | 6 | 8} c - Channels (default 4).
 * @attr {number} s - Spatial positions per channel, 1..4 (default 3).
 * @attr {number} groups - Group norm's G, a divisor of c (default 2; 1 if it does not divide c).
 * @attr {number} seed - Seed of the batch (default 1).
 * @attr {""} data-ready - Set by the element once the core has loaded and the panels are drawn.
 * @attr {string} data-error - Set by the element when the core could not load.
 *
 * @cssprop --norm-widget-accent - Keyboard focus ring of the controls.
 * @cssprop --norm-compare-set - One fill for every method's set, in place of each method's own colour.
 * @cssprop --norm-widget-bg - Background.
 * @cssprop --norm-widget-fg - Text colour.
 */
export class NormCompare extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [compareStyles()];
    root.innerHTML = MARKUP; // static markup only
    this.ui = {
      input: root.querySelector('.block.input'),
      key: root.querySelector('.key.filled'),
      summary: root.querySelector('.summary'),
      figures: Object.fromEntries(
        METHODS.map(({ id }) => [id, root.querySelector(`figure[data-method="${id}"]`)]),
      ),
      dependence: root.querySelector('.dependence tbody'),
      invariance: root.querySelector('.invariance tbody'),
      field: (name) => root.querySelector(`[name="${name}"]`),
      shown: () => root.querySelector('[name="show"]:checked').value,
    };
    const c = CHANNEL_CHOICES.includes(Number(this.getAttribute('c')))
      ? Number(this.getAttribute('c'))
      : DEFAULTS.c;
    this.params = {
      n: readInteger(this, 'n', ...LIMITS.n),
      c,
      s: readInteger(this, 's', ...LIMITS.s),
      seed: readInteger(this, 'seed', ...LIMITS.seed),
    };
    const groups = readInteger(this, 'groups', 1, c);
    this.params.groups = c % groups === 0 ? groups : 1;
    this.cell = { n: 0, c: 0, s: 0 };
    this.bindControls(root);
    // The core (and its WebAssembly) loads only once a comparison is on the page.
    import('../core/index.js')
      .then(({ loadNormCore }) => loadNormCore())
      .then(
        (core) => {
          this.core = core;
          this.update();
          this.setAttribute('data-ready', '');
        },
        (error) => {
          this.setAttribute('data-error', '');
          this.ui.summary.textContent = `The comparison could not load its WebAssembly core (${error.message}).`;
        },
      );
  }

  bindControls(root) {
    for (const name of ['n', 's', 'seed']) this.ui.field(name).value = this.params[name];
    this.ui.field('c').value = String(this.params.c);
    this.fillGroups();
    root.querySelector('.controls.shape').addEventListener('change', (event) => {
      const { name, value } = event.target;
      const v = Number(value);
      const limits = LIMITS[name];
      if (!limits || !Number.isInteger(v) || v < limits[0] || v > limits[1]) {
        event.target.value = this.params[name];
        return;
      }
      this.params[name] = v;
      if (name === 'c') this.fillGroups();
      this.cell = {
        n: Math.min(this.cell.n, this.params.n - 1),
        c: Math.min(this.cell.c, this.params.c - 1),
        s: Math.min(this.cell.s, this.params.s - 1),
      };
      this.update();
    });
    root.querySelector('.show').addEventListener('change', () => this.highlight());
    // Picking a method's panel (a click, or Enter or Space on the focused panel) shows its set in
    // the input too.
    for (const [id, figure] of Object.entries(this.ui.figures)) {
      const choose = () => {
        root.querySelector(`[name="show"][value="${id}"]`).checked = true;
        this.highlight();
      };
      figure.addEventListener('click', choose);
      figure.addEventListener('keydown', (event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault(); // Space would scroll the page
        choose();
      });
    }
    root
      .querySelectorAll('.controls')[1]
      .addEventListener('change', () => this.renderExperiments());
    this.ui.input.addEventListener('keydown', (event) => this.onKey(event));
    this.ui.input.addEventListener('focusin', (event) => this.pick(event.target));
    this.ui.input.addEventListener('click', (event) => this.pick(event.target));
    this.ui.input.addEventListener('mouseover', (event) => this.pick(event.target));
  }

  fillGroups() {
    const select = this.ui.field('groups');
    const options = groupChoices(this.params.c);
    if (!options.includes(this.params.groups)) this.params.groups = options.includes(2) ? 2 : 1;
    select.replaceChildren(...options.map((g) => new Option(String(g), String(g))));
    select.value = String(this.params.groups);
  }

  get shape() {
    return { n: this.params.n, c: this.params.c, s: this.params.s };
  }

  update() {
    if (!this.core) return;
    const { c, s, seed, groups } = this.params;
    this.x = firstSamples(drawBatch(this.core, { c, s, seed }), this.params.n, this.shape);
    this.results = Object.fromEntries(
      METHODS.map(({ id }) => [id, runMethod(this.core, id, this.x, this.shape, groups)]),
    );
    for (const [id, result] of Object.entries(this.results)) {
      if (result.error) console.info(`<norm-compare>: ${LABEL[id]} has no output: ${result.error}`);
    }
    this.buildBlocks();
    this.highlight();
    this.renderExperiments();
  }

  buildBlocks() {
    this.inputCells = buildBlock(this.ui.input, this.shape);
    this.inputCells.forEach((el, i) => {
      el.textContent = this.x[i].toFixed(1).replace(/^-(0\.0)$/, '$1'); // no "-0.0"
    });
    // Each cube is drawn once per shape; moving the focus only changes classes and the outline.
    this.panelCells = {};
    this.focusOutlines = {};
    for (const { id } of METHODS) {
      const cube = this.ui.figures[id].querySelector('.cube');
      cube.innerHTML = cubeSvg(this.shape, { focus: this.cell }); // numbers and fixed words only
      this.panelCells[id] = [...cube.querySelectorAll('.voxel')];
      this.focusOutlines[id] = [...cube.querySelectorAll('.cube-focus path')];
    }
  }

  pick(target) {
    const cell = target.closest?.('.cell');
    if (!cell || !this.ui.input.contains(cell)) return;
    const next = { n: +cell.dataset.n, c: +cell.dataset.c, s: +cell.dataset.s };
    if (next.n === this.cell.n && next.c === this.cell.c && next.s === this.cell.s) return;
    this.cell = next;
    this.highlight();
  }

  // Arrows move as the tiles are laid out: up and down through the channels of a sample, left and
  // right through its positions and on into the previous or next sample's tile.
  onKey(event) {
    const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const { n, c, s } = this.shape;
    const along = Math.min(n * s - 1, Math.max(0, this.cell.n * s + this.cell.s + move[1]));
    this.cell = {
      n: Math.floor(along / s),
      c: Math.min(c - 1, Math.max(0, this.cell.c + move[0])),
      s: along % s,
    };
    this.highlight();
    this.currentCell().focus();
  }

  get cellIndex() {
    const { c, s } = this.shape;
    return (this.cell.n * c + this.cell.c) * s + this.cell.s;
  }

  currentCell() {
    return this.inputCells[this.cellIndex];
  }

  // Marks `cells` (input cells or a cube's voxels, each with data-n, data-c, data-s) as in the
  // chosen value's set under `method` or dimmed, and the chosen value itself as current.
  markSet(cells, method) {
    const { groups } = this.params;
    const set = setOf(method, this.cell, this.shape, groups);
    let count = 0;
    for (const el of cells) {
      const { n, c, s } = el.dataset;
      const inSet = setOf(method, { n: +n, c: +c }, this.shape, groups) === set;
      el.classList.toggle('in-set', inSet);
      el.classList.toggle('dimmed', !inSet);
      el.classList.toggle(
        'current',
        +n === this.cell.n && +c === this.cell.c && +s === this.cell.s,
      );
      count += inSet;
    }
    return { set, count };
  }

  highlight() {
    if (!this.inputCells) return;
    const shown = this.ui.shown();
    const current = this.currentCell();
    const { count: shownCount } = this.markSet(this.inputCells, shown);
    // The input and the key take the colour of the method shown.
    this.ui.input.dataset.method = shown;
    this.ui.key.dataset.method = shown;
    this.inputCells.forEach((el, i) => {
      el.tabIndex = el === current ? 0 : -1;
      const { n, c, s } = el.dataset;
      el.setAttribute(
        'aria-label',
        `sample ${+n + 1}, channel ${+c + 1}, position ${+s + 1}: ${this.x[i].toFixed(3)}` +
          (el.classList.contains('in-set') ? `, in the chosen value's ${LABEL[shown]} set` : ''),
      );
    });
    const where = `Sample ${this.cell.n + 1}, channel ${this.cell.c + 1}, position ${this.cell.s + 1}`;
    const lines = [
      `${where}: x = ${this.x[this.cellIndex].toFixed(3)}. ${LABEL[shown]} normalises it with ${shownCount} values, filled.`,
    ];
    for (const { id, label } of METHODS) {
      const figure = this.ui.figures[id];
      const result = this.results[id];
      const { set, count } = this.markSet(this.panelCells[id], id);
      const outline = voxelOutline(this.shape, this.cell);
      for (const path of this.focusOutlines[id]) path.setAttribute('d', outline);
      figure.classList.toggle('shown', id === shown);
      figure.setAttribute('aria-pressed', String(id === shown));
      const name = normOf(id).takesGroups ? `${label}, G = ${this.params.groups}` : label;
      const stats = figure.querySelector('.stats');
      if (result.error) {
        stats.className = 'stats refused';
        stats.textContent = refusalText(this.shape);
        figure.setAttribute('aria-label', `${name}: ${stats.textContent}`);
        lines.push(`${label}: no output, see its panel.`);
      } else {
        const y = result.y[this.cellIndex];
        stats.className = 'stats';
        // A set of one value is its own mean: centring leaves 0, whatever the value was.
        const alone =
          count === 1 && normOf(id).centres
            ? ' A set of one value is its own mean, so centring leaves 0.'
            : '';
        stats.textContent = `${setSize(count)}: ${describeStats(result.stats(set))}. This value becomes ${y.toFixed(3)}.${alone}`;
        figure.setAttribute(
          'aria-label',
          `${name}: the focused value is normalised with ${count === 1 ? 'itself alone' : `${count} values`}: ` +
            `${describeStats(result.stats(set))}; it becomes ${y.toFixed(3)}.${alone}`,
        );
        lines.push(`${label}: ${count} values, ${describeStats(result.stats(set))}.`);
      }
    }
    this.ui.summary.textContent = lines.join(' ');
  }

  renderExperiments() {
    if (!this.core) return;
    const { groups, seed } = this.params;
    const num = (name, fallback) =>
      Number.isFinite(Number(this.ui.field(name).value))
        ? Number(this.ui.field(name).value)
        : fallback;
    const row = (cells) => {
      const tr = document.createElement('tr');
      tr.replaceChildren(
        ...cells.map((text, i) => {
          const td = document.createElement(i === 0 ? 'th' : 'td');
          td.textContent = text;
          return td;
        }),
      );
      return tr;
    };
    const noOutput = 'no output (one value per channel)';
    const other = withOtherSamples(this.core, this.x, this.shape, seed);
    this.ui.dependence.replaceChildren(
      ...batchDependence(this.core, this.x, other, this.shape, groups).map((r) =>
        row([
          LABEL[r.method],
          r.error
            ? noOutput
            : r.change === null
              ? 'no other samples in a batch of one'
              : verdict(r.change),
        ]),
      ),
    );
    const table = invariance(this.core, this.x, this.shape, groups, {
      k: num('k', 3),
      shift: num('shift', 5),
      perturb: num('perturb', 4),
    });
    this.ui.invariance.replaceChildren(
      ...table.map((r) =>
        r.error
          ? row([LABEL[r.method], noOutput, '', ''])
          : row([LABEL[r.method], verdict(r.scale), verdict(r.shift), verdict(r.others)]),
      ),
    );
  }
}

if (!customElements.get('norm-compare')) customElements.define('norm-compare', NormCompare);
