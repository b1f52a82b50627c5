// The comparison view's styles, adopted by its shadow root (no inline <style>, so a strict
// style-src 'self' policy allows it). Themed by the same custom properties as <norm-widget>:
// --norm-widget-accent, --norm-widget-bg, --norm-widget-fg. The set colour is its own
// (--norm-compare-set), so a host's accent cannot make filled and dimmed cells alike.
const css = `
:host { display: block; color: var(--norm-widget-fg, CanvasText); background: var(--norm-widget-bg, transparent);
  font: inherit; --accent: var(--norm-widget-accent, #1f6feb); --set: var(--norm-compare-set, #1f5fa8);
  --on-set: #ffffff; --ring: #c25e00; --line: color-mix(in srgb, currentColor 30%, transparent); }
@media (prefers-color-scheme: dark) {
  :host { --set: var(--norm-compare-set, #8cb8f0); --on-set: #10161f; --ring: #ffb061; }
}
* { box-sizing: border-box; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; }
p { margin: 0.4rem 0; }
.controls { display: flex; flex-wrap: wrap; gap: 0.6rem 1.2rem; align-items: end; }
.controls label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.9rem; }
input, select, button { font: inherit; }
input[type=number] { width: 5.5rem; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
fieldset.show { border: 1px solid var(--line); border-radius: 6px; display: flex; flex-wrap: wrap;
  gap: 0.3rem 1rem; margin: 0.5rem 0; padding: 0.3rem 0.7rem 0.5rem; font-size: 0.9rem; }
fieldset.show legend { padding: 0 0.3rem; }
.key { padding: 0 0.3em; border-radius: 3px; }
.key.filled { background: var(--set); color: var(--on-set); }
.key.dimmed { border: 1px dashed var(--line); opacity: 0.7; }
.scroll { overflow-x: auto; max-width: 100%; padding: 4px; }
.block { display: grid; gap: 2px; width: max-content; align-items: center; }
.channel-label, .position-label, .sample-label, .corner { font-size: 0.75rem; opacity: 0.85; text-align: center; white-space: nowrap; }
.sample-label, .corner { text-align: right; padding-right: 0.3rem; }
.channel-label { border-bottom: 2px solid var(--line); padding-bottom: 1px; }
.gap { margin-left: 6px; }
.cell { min-width: 2.3rem; height: 1.9rem; display: grid; place-items: center; font-size: 0.72rem;
  padding: 0; color: inherit; background: transparent;
  border: 1px solid var(--line); border-radius: 3px; font-variant-numeric: tabular-nums; cursor: pointer; }
.cell.in-set { background: var(--set); border-color: var(--set); color: var(--on-set); }
.cell.dimmed { opacity: 0.5; border-style: dashed; background: color-mix(in srgb, currentColor 8%, transparent); }
.cell.current { outline: 3px solid var(--ring); outline-offset: 1px; opacity: 1; }
.methods { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr)); gap: 1rem; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem; min-width: 0; cursor: pointer; }
figure.shown { border: 2px solid var(--set); padding: calc(0.6rem - 1px); }
figcaption { font-weight: 600; }
figcaption small { display: block; font-weight: 400; opacity: 0.8; }
.mini .cell { min-width: 0; width: 0.95rem; height: 0.95rem; border-radius: 2px; cursor: inherit; }
.mini .cell.current { outline-width: 2px; }
.mini .gap { margin-left: 4px; }
.mini .channel-label, .mini .sample-label { font-size: 0.65rem; }
.stats { font-size: 0.9rem; }
.refused { font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.table-scroll { overflow-x: auto; }
@media (max-width: 30rem) { .cell { min-width: 2rem; font-size: 0.68rem; } .gap { margin-left: 4px; } }
`;

let sheet;
export function compareStyles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}
