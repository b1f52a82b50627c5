// The comparison view's styles, adopted by its shadow root (no inline <style>, so a strict
// style-src 'self' policy allows it). Themed by the same custom properties as <norm-widget>:
// --norm-widget-accent, --norm-widget-bg, --norm-widget-fg.
const css = `
:host { display: block; color: var(--norm-widget-fg, CanvasText); background: var(--norm-widget-bg, transparent);
  font: inherit; --accent: var(--norm-widget-accent, #1f6feb); --line: color-mix(in srgb, currentColor 25%, transparent); }
* { box-sizing: border-box; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; }
p { margin: 0.4rem 0; }
.controls { display: flex; flex-wrap: wrap; gap: 0.6rem 1.2rem; align-items: end; }
.controls label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.9rem; }
input, select, button { font: inherit; }
input[type=number] { width: 5.5rem; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.scroll { overflow-x: auto; max-width: 100%; padding: 4px; }
.block { display: grid; gap: 2px; width: max-content; }
.cell { min-width: 2.4rem; height: 1.9rem; display: grid; place-items: center; font-size: 0.75rem;
  border: 1px solid var(--line); border-radius: 3px; font-variant-numeric: tabular-nums; cursor: default; }
.cell.gap { margin-left: 6px; }
.input .cell.in-set { background: color-mix(in srgb, var(--accent) 22%, transparent); }
.input .cell.current { outline: 2px solid var(--accent); }
.methods { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 1rem; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem; min-width: 0; }
figcaption { font-weight: 600; }
figcaption small { display: block; font-weight: 400; opacity: 0.8; }
.mini .cell { min-width: 0.9rem; width: 0.9rem; height: 0.9rem; border-radius: 2px; }
.mini .cell.in-set { border: 2px solid var(--accent); }
.mini .cell.gap { margin-left: 3px; }
.refused { color: #b42318; font-weight: 600; }
@media (prefers-color-scheme: dark) { .refused { color: #ff8a80; } }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.table-scroll { overflow-x: auto; }
`;

let sheet;
export function compareStyles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}
