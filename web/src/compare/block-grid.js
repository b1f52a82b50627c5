// Draws one [N, C, S] block unfolded flat, as in Wu & He (2018), figure 2, opened out: a header
// row naming the channels (and, in the full-size block, one numbering the positions), then a row per sample, each channel a band of S cells (one per
// position). Used for the input and for each method's panel; `makeCell` supplies the cell
// element (a button in the input, a plain box in the panels).

function labelDiv(className, text) {
  const el = document.createElement('div');
  el.className = className;
  el.textContent = text;
  el.setAttribute('aria-hidden', 'true'); // each cell's own label names its sample and channel
  return el;
}

/**
 * Fills `container` with the block's labels and cells; returns the cells in row-major [N, C, S]
 * order (cell i holds x[i]), each with data-n, data-c, data-s (0-based).
 */
export function buildBlock(container, { n, c, s }, { makeCell, short = false }) {
  container.style.gridTemplateColumns = `auto repeat(${c * s}, auto)`;
  const parts = [labelDiv('corner', short ? '' : 'sample')];
  for (let j = 0; j < c; j++) {
    const head = labelDiv(
      `channel-label${j > 0 ? ' gap' : ''}`,
      short ? `c${j + 1}` : `channel ${j + 1}`,
    );
    head.style.gridColumn = `span ${s}`; // CSSOM, not a style attribute: allowed by the CSP
    parts.push(head);
  }
  if (!short) {
    // A second header row numbering the positions within each channel.
    parts.push(labelDiv('corner', 'position'));
    for (let j = 0; j < c; j++) {
      for (let k = 0; k < s; k++) {
        parts.push(labelDiv(`position-label${k === 0 && j > 0 ? ' gap' : ''}`, `${k + 1}`));
      }
    }
  }
  const cells = [];
  for (let i = 0; i < n; i++) {
    parts.push(labelDiv('sample-label', `${i + 1}`));
    for (let j = 0; j < c; j++) {
      for (let k = 0; k < s; k++) {
        const el = makeCell();
        el.classList.add('cell');
        if (k === 0 && j > 0) el.classList.add('gap');
        Object.assign(el.dataset, { n: i, c: j, s: k });
        cells.push(el);
        parts.push(el);
      }
    }
  }
  container.replaceChildren(...parts);
  return cells;
}
