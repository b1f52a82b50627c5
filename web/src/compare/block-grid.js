// Draws the input batch [N, C, S] unfolded as one tile per sample (example): in each tile a row per
// channel and a column per position, every cell a button holding its value. Tiles wrap, so the
// block is at most four cells wide and fits a phone without a scroll box of its own; the tiles in a
// row read like the cube's N axis, one tile beside the next.

function labelDiv(className, text) {
  const el = document.createElement('div');
  el.className = className;
  el.textContent = text;
  el.setAttribute('aria-hidden', 'true'); // each cell's own label names its sample and channel
  return el;
}

function sampleTile(i, { c, s }, cells) {
  const grid = document.createElement('div');
  grid.className = 'sample-grid';
  grid.style.gridTemplateColumns = `auto repeat(${s}, minmax(0, 1fr))`; // CSSOM: allowed by the CSP
  const parts = [labelDiv('corner', '')];
  for (let k = 0; k < s; k++) parts.push(labelDiv('position-label', `pos ${k + 1}`));
  for (let j = 0; j < c; j++) {
    parts.push(labelDiv('channel-label', `ch ${j + 1}`));
    for (let k = 0; k < s; k++) parts.push(cells[(i * c + j) * s + k]);
  }
  grid.replaceChildren(...parts);
  const tile = document.createElement('div');
  tile.className = 'sample';
  tile.replaceChildren(labelDiv('sample-label', `Sample ${i + 1}`), grid);
  return tile;
}

/**
 * Fills `container` with a tile per sample; returns the cells, buttons in row-major [N, C, S]
 * order (cell i holds x[i]), each with data-n, data-c, data-s (0-based).
 */
export function buildBlock(container, { n, c, s }) {
  const cells = [];
  for (let i = 0; i < n * c * s; i++) {
    const el = document.createElement('button');
    el.type = 'button';
    el.tabIndex = -1;
    el.className = 'cell';
    const position = i % s;
    const channel = Math.floor(i / s) % c;
    Object.assign(el.dataset, { n: Math.floor(i / (c * s)), c: channel, s: position });
    cells.push(el);
  }
  const tiles = [];
  for (let i = 0; i < n; i++) tiles.push(sampleTile(i, { c, s }, cells));
  container.replaceChildren(...tiles);
  return cells;
}
