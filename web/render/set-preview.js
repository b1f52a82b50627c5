// Small static SVG drawings for the landing page, made at build time: the batch drawn as Wu & He's
// (2018, figure 2) cube by web/src/set-cube.js, the drawing the comparison page draws live, with
// the values that one chosen value is normalised with filled and the rest dimmed. Colours come
// from classes styled in web/styles/site.css, so dark mode needs nothing here and the pages' CSP
// (no style attributes) is respected.

import { normOf, setIndex } from '../src/norms.js';
import { CUBE_BOX, cubeMarkup, cubeSvg, CUBE_VIEW } from '../src/set-cube.js';

// The batch every preview shows, and the value whose set is filled (sample 2, channel 2, position 2).
export const PREVIEW_SHAPE = { n: 3, c: 4, s: 3, groups: 2 };
export const PREVIEW_FOCUS = { n: 1, c: 1, s: 1 };

const round = (v) => Math.round(v);

/** How `method` marks each value of `shape`: 'in-set' with `focus`, else 'dimmed'; and the set's size. */
function setMarks(method, shape, focus) {
  const sets = setIndex(method, shape, shape.groups);
  const target = sets.of(focus.n, focus.c);
  return {
    voxelClass: (cell) => (sets.of(cell.n, cell.c) === target ? 'in-set' : 'dimmed'),
    count: (shape.n * shape.c * shape.s) / sets.count,
  };
}

/** One method's cube with its axis labels. */
export function methodPreview(method, shape = PREVIEW_SHAPE, focus = PREVIEW_FOCUS) {
  const { name } = normOf(method); // throws a RangeError naming the bad method
  const { voxelClass, count } = setMarks(method, shape, focus);
  const label =
    `${name}: in a batch of ${shape.n} samples, ${shape.c} channels and ${shape.s} positions, drawn as a cube, ` +
    `the value at sample ${focus.n + 1}, channel ${focus.c + 1} shares its statistics with a set of ${count} values, filled; the rest are dimmed`;
  const size = `width="${round(CUBE_VIEW.width * 1.25)}" height="${round(CUBE_VIEW.height * 1.25)}"`;
  return cubeSvg(shape, {
    voxelClass,
    focus,
    attributes: `class="set-preview" ${size} role="img" aria-label="${label}"`,
  });
}

/** The comparison's preview: the five cubes in a row, each named by its short label. */
export function comparisonPreview(shape = PREVIEW_SHAPE, focus = PREVIEW_FOCUS) {
  const labels = { batch: 'BN', layer: 'LN', instance: 'IN', group: 'GN', rms: 'RMS' };
  const step = CUBE_BOX.width + 16;
  const parts = Object.keys(labels).map(
    (method, i) =>
      `<g transform="translate(${i * step - CUBE_BOX.x} ${-CUBE_BOX.y})">` +
      cubeMarkup(shape, {
        voxelClass: setMarks(method, shape, focus).voxelClass,
        focus,
        labels: false,
      }) +
      `</g><text x="${i * step + CUBE_BOX.width / 2}" y="${CUBE_BOX.height + 26}" class="axis-label name" text-anchor="middle">${labels[method]}</text>`,
  );
  const width = 5 * step - 16;
  const height = CUBE_BOX.height + 32;
  return (
    `<svg class="set-preview" viewBox="0 0 ${width} ${height}" width="${round(width * 0.63)}" height="${round(height * 0.63)}" role="img" ` +
    `aria-label="The five methods side by side, each a cube with the values one chosen value is normalised with filled">` +
    parts.join('') +
    `</svg>`
  );
}
