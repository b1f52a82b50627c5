// The comparison view's styles, adopted by its shadow root (no inline <style>, so a strict
// style-src 'self' policy allows it). Themed by the same custom properties as <norm-widget>:
// --norm-widget-accent, --norm-widget-bg, --norm-widget-fg. Each method's set colour is the
// comparison's own (--norm-compare-set overrides all five), so a host's accent cannot make filled
// and dimmed cells alike.
const css = `
:host { display: block; color: var(--norm-widget-fg, CanvasText); background: var(--norm-widget-bg, transparent);
  font: inherit; --accent: var(--norm-widget-accent, #1f6feb);
  --m-batch: #1f5fa8; --m-layer: #a4540a; --m-instance: #2e7d32; --m-group: #7b3fa0; --m-rms: #00737d;
  --set: var(--norm-compare-set, var(--m-batch)); --on-set: #ffffff; --ring: #c25e00;
  --line: color-mix(in srgb, currentColor 30%, transparent); }
@media (prefers-color-scheme: dark) {
  :host { --m-batch: #8cb8f0; --m-layer: #f0a35e; --m-instance: #81c784; --m-group: #ce93d8;
    --m-rms: #4dd0e1; --on-set: #10161f; --ring: #ffb061; }
}
/* Each method fills its set in its own colour, in its panel and in the input when it is shown. */
[data-method="batch"] { --set: var(--norm-compare-set, var(--m-batch)); }
[data-method="layer"] { --set: var(--norm-compare-set, var(--m-layer)); }
[data-method="instance"] { --set: var(--norm-compare-set, var(--m-instance)); }
[data-method="group"] { --set: var(--norm-compare-set, var(--m-group)); }
[data-method="rms"] { --set: var(--norm-compare-set, var(--m-rms)); }
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
/* The input: a tile per sample, wrapping, so it never needs a scroll box of its own. */
.block.input { display: flex; flex-wrap: wrap; gap: 0.6rem 1rem; padding: 4px; }
.sample { min-width: 0; }
.sample-label { font-size: 0.8rem; font-weight: 600; margin-bottom: 2px; }
.sample-grid { display: grid; gap: 2px; align-items: center; }
.position-label, .channel-label, .corner { font-size: 0.7rem; opacity: 0.85; text-align: center; white-space: nowrap; }
.channel-label { text-align: right; padding-right: 0.3rem; }
.cell { min-width: 2.3rem; height: 1.9rem; display: grid; place-items: center; font-size: 0.72rem;
  padding: 0; color: inherit; background: transparent;
  border: 1px solid var(--line); border-radius: 3px; font-variant-numeric: tabular-nums; cursor: pointer; }
.cell.in-set { background: var(--set); border-color: var(--set); color: var(--on-set); }
.cell.dimmed { opacity: 0.5; border-style: dashed; background: color-mix(in srgb, currentColor 8%, transparent); }
.cell.current { outline: 3px solid var(--ring); outline-offset: 1px; opacity: 1; }
.methods { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr)); gap: 1rem; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem; min-width: 0; cursor: pointer; }
figure.shown { border: 2px solid var(--set); padding: calc(0.6rem - 1px); }
figure:focus-visible { outline: 3px solid var(--ring); outline-offset: 2px; }
figcaption { font-weight: 600; }
figcaption small { display: block; font-weight: 400; opacity: 0.8; }
/* The cube: filled voxels opaque and shaded by face (top lighter, side darker), dimmed ones glassy,
   so a set inside the cube shows through the values in front of it. */
.cube svg { display: block; width: 100%; max-width: 20rem; height: auto; margin: 0.3rem auto 0; overflow: visible; }
.voxel path { stroke-linejoin: round; }
.voxel.in-set path { stroke: color-mix(in srgb, var(--set) 55%, black); stroke-width: 0.5; }
.voxel.in-set .front { fill: var(--set); }
.voxel.in-set .top { fill: color-mix(in srgb, var(--set) 65%, white); }
.voxel.in-set .side { fill: color-mix(in srgb, var(--set) 70%, black); }
.voxel.dimmed path { fill: currentColor; fill-opacity: 0.035; stroke: currentColor; stroke-opacity: 0.22; stroke-width: 0.35; }
.cube-focus path { fill: none; stroke-linejoin: round; }
.cube-focus .halo { stroke: var(--norm-widget-bg, Canvas); stroke-width: 3.4; }
.cube-focus .ring { stroke: var(--ring); stroke-width: 1.6; }
.axis-label { fill: currentColor; font-size: 7.5px; opacity: 0.85; }
.stats { font-size: 0.9rem; }
.refused { font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.table-scroll { overflow-x: auto; }
@media (max-width: 30rem) { .cell { min-width: 2rem; font-size: 0.68rem; } }
`;

let sheet;
export function compareStyles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}
