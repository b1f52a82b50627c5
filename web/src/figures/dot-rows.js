// A chart of labelled rows of dots on one shared horizontal axis, with optional marks (a row's mean,
// say) and dashed reference lines across all rows. Rows may show a message instead of dots, for a
// method that has no output in the current state. Used by the batch-of-one and RMS-shift figures.
import { fitChart, scale, svg } from './figure-kit.js';

const ROW = 38; // a label line above each row of dots, so that the dots get the whole width
const LEFT = 12;

/**
 * Draws `rows` into `chart` (an <svg>).
 * @param {Array<{ label: string, values?: ArrayLike<number>, message?: string,
 *   marks?: Array<{ at: number, className?: string }>, dotClass?: string }>} rows
 * @param {{ domain: [number, number], ticks: number[], references?: number[] }} axis
 *   values outside the domain are drawn at its edge
 */
export function drawDotRows(chart, rows, { domain, ticks, references = [] }) {
  const bottom = rows.length * ROW + 4;
  const right = fitChart(chart, bottom + 22) - LEFT;
  const x = scale(domain[0], domain[1], LEFT, right);
  const at = (v) => x(Math.min(Math.max(v, domain[0]), domain[1]));
  const out = [svg('line', { class: 'axis', x1: LEFT, x2: right, y1: bottom, y2: bottom })];
  for (const t of ticks) {
    out.push(svg('line', { class: 'axis', x1: x(t), x2: x(t), y1: bottom, y2: bottom + 4 }));
    const label = svg('text', { x: x(t), y: bottom + 17, 'text-anchor': 'middle', class: 'muted' });
    label.textContent = t < 0 ? `−${-t}` : String(t);
    out.push(label);
  }
  rows.forEach((row, k) => {
    const top = k * ROW;
    const cy = top + 26;
    // References cross each row's dots but leave its label line clear.
    for (const r of references) {
      out.push(
        svg('line', { class: 'reference', x1: at(r), x2: at(r), y1: top + 15, y2: top + ROW + 4 }),
      );
    }
    const name = svg('text', { x: LEFT, y: top + 11 });
    name.textContent = row.label;
    out.push(name);
    if (row.message !== undefined) {
      const message = svg('text', { x: LEFT, y: cy + 4, class: 'message' });
      message.textContent = row.message;
      out.push(message);
      return;
    }
    out.push(svg('line', { class: 'grid', x1: LEFT, x2: right, y1: cy, y2: cy }));
    const dotClass = row.dotClass ? `dot ${row.dotClass}` : 'dot';
    for (const v of row.values) out.push(svg('circle', { class: dotClass, cx: at(v), cy, r: 5 }));
    for (const mark of row.marks ?? []) {
      const m = at(mark.at);
      out.push(
        svg('line', { class: mark.className ?? 'line', x1: m, x2: m, y1: cy - 9, y2: cy + 9 }),
      );
    }
  });
  chart.replaceChildren(...out);
}
