// <norm-compare>: one seeded [N, C, S] batch, normalised by all five methods through the core,
// with the sets that share statistics outlined for any focused cell, and two experiments.
// Attributes: n (1-8), c (2, 3, 4, 6, 8), s (1-4), groups (divides c), seed.
import { MAX_N, drawBatch, firstSamples } from './batch-data.js';
import { batchDependence, invariance, verdict } from './experiments.js';
import { METHODS, describeStats, runMethod, setIndex } from './methods.js';
import { compareStyles } from './styles.js';
import { MARKUP } from './template.js';

const DEFAULTS = { n: 4, c: 4, s: 3, groups: 2, seed: 1 };
const CHANNEL_CHOICES = [2, 3, 4, 6, 8];

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

const divisors = (c) => Array.from({ length: c }, (_, i) => i + 1).filter((g) => c % g === 0);

function colour(y) {
  const t = Math.min(1, Math.abs(y) / 2.5);
  return Number.isFinite(y) ? `hsl(${y < 0 ? 212 : 28} 80% ${92 - 45 * t}%)` : 'transparent';
}

/**
 * The five normalisations side by side on one seeded [N, C, S] batch, with the set that shares
 * statistics with a focused value outlined in every method. Attributes are read when it connects.
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
 * @cssprop --norm-widget-accent - Outline of the focused value's set.
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
      summary: root.querySelector('.summary'),
      figures: Object.fromEntries(
        METHODS.map(({ id }) => [id, root.querySelector(`figure[data-method="${id}"]`)]),
      ),
      dependence: root.querySelector('.dependence tbody'),
      invariance: root.querySelector('.invariance tbody'),
      field: (name) => root.querySelector(`[name="${name}"]`),
    };
    const c = CHANNEL_CHOICES.includes(Number(this.getAttribute('c')))
      ? Number(this.getAttribute('c'))
      : DEFAULTS.c;
    this.params = {
      n: readInteger(this, 'n', 1, MAX_N),
      c,
      s: readInteger(this, 's', 1, 4),
      seed: readInteger(this, 'seed', 0, 2 ** 31),
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
    root.querySelector('.controls').addEventListener('change', (event) => {
      const { name, value } = event.target;
      const v = Number(value);
      const limits = { n: [1, MAX_N], s: [1, 4], seed: [0, 2 ** 31], c: [2, 8], groups: [1, 8] }[
        name
      ];
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
    root
      .querySelectorAll('.controls')[1]
      .addEventListener('change', () => this.renderExperiments());
    this.ui.input.addEventListener('keydown', (event) => this.onKey(event));
    this.ui.input.addEventListener('focusin', (event) => this.pick(event.target));
    this.ui.input.addEventListener('mouseover', (event) => this.pick(event.target));
  }

  fillGroups() {
    const select = this.ui.field('groups');
    const options = divisors(this.params.c);
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
    this.full = drawBatch(this.core, { c, s, seed });
    this.x = firstSamples(this.full, this.params.n, this.shape);
    this.results = Object.fromEntries(
      METHODS.map(({ id }) => [id, runMethod(this.core, id, this.x, this.shape, groups)]),
    );
    this.buildBlocks();
    this.highlight();
    this.renderExperiments();
  }

  // Cells in row-major [N, C, S] order, so cell i holds x[i].
  cells(block, makeCell) {
    const { n, c, s } = this.shape;
    block.style.gridTemplateColumns = `repeat(${c * s}, auto)`;
    const cells = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) {
        for (let k = 0; k < s; k++) {
          const el = makeCell();
          el.className = `cell${k === 0 && j > 0 ? ' gap' : ''}`;
          Object.assign(el.dataset, { n: i, c: j, s: k });
          cells.push(el);
        }
      }
    }
    block.replaceChildren(...cells);
    return cells;
  }

  buildBlocks() {
    this.inputCells = this.cells(this.ui.input, () => {
      const el = document.createElement('div');
      el.setAttribute('role', 'gridcell');
      el.tabIndex = -1;
      return el;
    });
    this.inputCells.forEach((el, i) => {
      el.textContent = this.x[i].toFixed(1);
      el.setAttribute(
        'aria-label',
        `sample ${+el.dataset.n + 1}, channel ${+el.dataset.c + 1}, position ${+el.dataset.s + 1}: ${this.x[i].toFixed(3)}`,
      );
    });
    for (const { id } of METHODS) {
      const figure = this.ui.figures[id];
      const result = this.results[id];
      const cells = this.cells(figure.querySelector('.mini'), () => document.createElement('div'));
      if (!result.error) cells.forEach((el, i) => (el.style.backgroundColor = colour(result.y[i])));
    }
  }

  pick(target) {
    const cell = target.closest?.('.cell');
    if (!cell || !this.ui.input.contains(cell)) return;
    this.cell = { n: +cell.dataset.n, c: +cell.dataset.c, s: +cell.dataset.s };
    this.highlight();
  }

  onKey(event) {
    const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const { n, c, s } = this.shape;
    const column = Math.min(c * s - 1, Math.max(0, this.cell.c * s + this.cell.s + move[1]));
    this.cell = {
      n: Math.min(n - 1, Math.max(0, this.cell.n + move[0])),
      c: Math.floor(column / s),
      s: column % s,
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

  highlight() {
    const { groups } = this.params;
    const current = this.currentCell();
    for (const el of this.inputCells) {
      el.tabIndex = el === current ? 0 : -1;
      el.classList.toggle('current', el === current);
    }
    const where = `Sample ${this.cell.n + 1}, channel ${this.cell.c + 1}, position ${this.cell.s + 1}`;
    const lines = [`${where}: x = ${this.x[this.cellIndex].toFixed(3)}.`];
    for (const { id, label } of METHODS) {
      const figure = this.ui.figures[id];
      const result = this.results[id];
      const set = setIndex(id, this.cell, this.shape, groups);
      const minis = figure.querySelectorAll('.mini .cell');
      let count = 0;
      minis.forEach((el) => {
        const inSet =
          setIndex(id, { n: +el.dataset.n, c: +el.dataset.c }, this.shape, groups) === set;
        el.classList.toggle('in-set', inSet);
        count += inSet;
      });
      const stats = figure.querySelector('.stats');
      if (result.error) {
        stats.className = 'stats refused';
        stats.textContent = `Refused by the core: ${result.error}`;
        lines.push(`${label}: refused (${result.error}).`);
      } else {
        stats.className = 'stats';
        stats.textContent = `Set of ${count} values: ${describeStats(result.stats(set))}`;
        lines.push(`${label}: ${count} values, ${describeStats(result.stats(set))}.`);
      }
    }
    this.ui.summary.textContent = lines.join(' ');
  }

  renderExperiments() {
    if (!this.core) return;
    const { groups } = this.params;
    const num = (name, fallback) =>
      Number.isFinite(Number(this.ui.field(name).value))
        ? Number(this.ui.field(name).value)
        : fallback;
    const fullShape = { ...this.shape, n: MAX_N };
    const label = Object.fromEntries(METHODS.map(({ id, label: l }) => [id, l]));
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
    this.ui.dependence.replaceChildren(
      ...batchDependence(this.core, this.x, this.full, this.shape, fullShape, groups).map((r) =>
        row([label[r.method], r.error ? `refused: ${r.error}` : verdict(r.change)]),
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
          ? row([label[r.method], `refused: ${r.error}`, '', ''])
          : row([label[r.method], verdict(r.scale), verdict(r.shift), verdict(r.others)]),
      ),
    );
  }
}

if (!customElements.get('norm-compare')) customElements.define('norm-compare', NormCompare);
