// What every prose figure needs besides its own idea: the shared stylesheet (one constructed sheet
// adopted by each shadow root), loading the core only when the figure nears the viewport (as the
// widget does), small number formats, and SVG elements made without inline styles (strict CSP).
import css from './figures.css?inline';
import chartCss from './charts.css?inline';

let sheets = null;
/** The sheets for a figure's shadow root: the figures' common styles, then the charts'. */
export function figureStyles() {
  if (!sheets) {
    sheets = [css, chartCss].map((text) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(text);
      return sheet;
    });
  }
  return sheets;
}

/** Calls `load()` once, when `element` comes within 200 px of the viewport (at once without IO). */
export function whenNear(element, load) {
  if (typeof IntersectionObserver !== 'function') {
    load();
    return null;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      load();
    },
    { rootMargin: '200px' },
  );
  observer.observe(element);
  return observer;
}

/** The core, through the same loader (and so the same single instance) as the widget's. */
export const loadCore = () => import('../core/index.js').then(({ loadNormCore }) => loadNormCore());

export const prefersReducedMotion = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/** `digits` decimals, without a minus sign on a value that rounds to zero. */
export function format(v, digits = 2) {
  const text = v.toFixed(digits);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
}

/** A small difference for a sentence: exactly "0", else one digit in exponent form (3.1e-7). */
export const formatTiny = (v) => (v === 0 ? '0' : v.toExponential(1));

/**
 * The markup of a figure's table: `headers` as column headers over an empty body (filled with
 * tableRow), in a box that scrolls sideways on a narrow screen instead of the page.
 */
export const tableMarkup = (headers) => `<div class="table-scroll">
  <table>
    <thead><tr>${headers.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>
    <tbody></tbody>
  </table>
  </div>`;

/** A table row of plain-text cells (textContent, so no markup can slip in), with `className`. */
export function tableRow(texts, className = '') {
  const tr = document.createElement('tr');
  if (className) tr.className = className;
  for (const text of texts) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  return tr;
}

const SVG = 'http://www.w3.org/2000/svg';
/** An SVG element with the given attributes (attributes only: a style attribute would break CSP). */
export function svg(name, attributes = {}) {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, String(value));
  return el;
}

/** A linear map from [d0, d1] to [r0, r1]. */
export const scale = (d0, d1, r0, r1) => (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);

/**
 * Sizes `chart` (an <svg>) to its box, one SVG unit per CSS pixel, so that its labels stay 12 px
 * on a phone as on a desktop, and returns the width to draw to.
 */
export function fitChart(chart, height) {
  const width = Math.max(240, Math.round(chart.getBoundingClientRect().width) || 600);
  chart.setAttribute('viewBox', `0 0 ${width} ${height}`);
  chart.setAttribute('height', String(height));
  return width;
}

/** Calls `redraw` after the element's width changes (not on its first observation). */
export function onWidthChange(element, redraw) {
  if (typeof ResizeObserver !== 'function') return null;
  let last = null;
  const observer = new ResizeObserver(([entry]) => {
    const width = Math.round(entry.contentRect.width);
    if (last !== null && width !== last) redraw();
    last = width;
  });
  observer.observe(element);
  return observer;
}

/**
 * A figure placed in the prose: a shadow root with the figures' styles and its markup. The core is
 * loaded when the figure nears the viewport; then `ready(core)` wires the controls and draws, and
 * the element gets `data-ready` (or, if either fails, `data-error` and a message in `.summary`).
 */
export class ProseFigure extends HTMLElement {
  #started = false;

  constructor(markup) {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = figureStyles();
    root.innerHTML = markup;
  }

  connectedCallback() {
    if (this.#started) return;
    this.#started = true;
    whenNear(this, () => this.#load());
  }

  #load() {
    loadCore()
      .then((core) => {
        this.ready(core);
        this.setAttribute('data-ready', '');
      })
      .catch((error) => {
        this.shadowRoot.querySelector('.summary').textContent =
          'This figure needs JavaScript modules and WebAssembly.';
        this.setAttribute('data-error', String(error?.message ?? error));
      });
  }
}
