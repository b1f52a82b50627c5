// Small static SVG drawings for the landing page, made at build time: a batch unfolded flat
// (a row per sample, a band of columns per channel, a cell per position), with the values that
// one chosen value is normalised with filled and the rest dimmed, after Wu & He (2018), figure 2.
// Colours come from classes styled in web/styles/site.css, so dark mode needs nothing here and
// the pages' CSP (no style attributes) is respected.

import { normOf, setIndex } from '../src/norms.js';

const CELL = 10;
const GAP = 2;
const BAND_GAP = 5;
const LABEL = 12;

// The batch every preview shows, and the value whose set is filled (sample 2, channel 2, position 2).
export const PREVIEW_SHAPE = { n: 3, c: 4, s: 3, groups: 2 };
export const PREVIEW_FOCUS = { n: 1, c: 1, s: 1 };

/** Cells of one unfolded block as { x, y, inSet, focus }, positioned from the block's origin. */
function blockCells(method, shape, focus) {
  const sets = setIndex(method, shape, shape.groups);
  const target = sets.of(focus.n, focus.c);
  const cells = [];
  for (let n = 0; n < shape.n; n++) {
    for (let c = 0; c < shape.c; c++) {
      for (let s = 0; s < shape.s; s++) {
        cells.push({
          x: c * (shape.s * (CELL + GAP) + BAND_GAP) + s * (CELL + GAP),
          y: n * (CELL + GAP),
          inSet: sets.of(n, c) === target,
          focus: n === focus.n && c === focus.c && s === focus.s,
        });
      }
    }
  }
  return cells;
}

const blockWidth = (shape) => shape.c * (shape.s * (CELL + GAP) + BAND_GAP) - BAND_GAP - GAP;
const blockHeight = (shape) => shape.n * (CELL + GAP) - GAP;

function rects(cells, dx, dy) {
  return cells
    .map(
      ({ x, y, inSet, focus }) =>
        `<rect x="${x + dx}" y="${y + dy}" width="${CELL}" height="${CELL}" rx="1.5" class="${
          focus ? 'focus' : inSet ? 'in-set' : 'dimmed'
        }"/>`,
    )
    .join('');
}

/** One method's block with axis labels: samples down the side, channels along the top. */
export function methodPreview(method, shape = PREVIEW_SHAPE, focus = PREVIEW_FOCUS) {
  const { name } = normOf(method); // throws a RangeError naming the bad method
  const cells = blockCells(method, shape, focus);
  const count = cells.filter((cell) => cell.inSet).length;
  const width = LABEL + blockWidth(shape);
  const height = LABEL + blockHeight(shape);
  const label =
    `${name}: in a batch of ${shape.n} samples, ${shape.c} channels and ${shape.s} positions, ` +
    `the value at sample ${focus.n + 1}, channel ${focus.c + 1} shares its statistics with a set of ${count} values, filled; the rest are dimmed`;
  return (
    `<svg class="set-preview" viewBox="0 0 ${width} ${height}" width="${Math.round(width * 1.4)}" height="${Math.round(height * 1.4)}" role="img" aria-label="${label}">` +
    `<text x="0" y="${LABEL + blockHeight(shape) / 2}" class="axis" dominant-baseline="middle">N</text>` +
    `<text x="${LABEL + blockWidth(shape) / 2}" y="8" class="axis" text-anchor="middle">C × S</text>` +
    rects(cells, LABEL, LABEL) +
    `</svg>`
  );
}

/** The comparison's preview: the five blocks in a row, each named by its short label. */
export function comparisonPreview(
  shape = { ...PREVIEW_SHAPE, s: 1 },
  focus = { n: 1, c: 1, s: 0 },
) {
  const labels = { batch: 'BN', layer: 'LN', instance: 'IN', group: 'GN', rms: 'RMS' };
  const w = blockWidth(shape);
  const h = blockHeight(shape);
  const step = w + 10;
  const parts = Object.keys(labels).map(
    (method, i) =>
      rects(blockCells(method, shape, focus), i * step, 0) +
      `<text x="${i * step + w / 2}" y="${h + 11}" class="axis" text-anchor="middle">${labels[method]}</text>`,
  );
  const width = 5 * step - 10;
  const height = h + 14;
  return (
    `<svg class="set-preview" viewBox="0 0 ${width} ${height}" width="${Math.round(width * 1.4)}" height="${Math.round(height * 1.4)}" role="img" ` +
    `aria-label="The five methods side by side, each filling the values one chosen value is normalised with">` +
    parts.join('') +
    `</svg>`
  );
}
