// The widget's look: one constructable stylesheet adopted by each shadow root, so nothing needs a
// <style> element or a style attribute (the pages' CSP allows neither).
//
// Theme: set any of these custom properties on the element (e.g. `norm-widget { --norm-widget-accent:
// teal; }`) to restyle it, charts included; defaults follow prefers-color-scheme.
//   --norm-widget-bg        panel background
//   --norm-widget-fg        text, and the points of the scatter plot
//   --norm-widget-muted     secondary text, axis labels and ticks
//   --norm-widget-border    panel and control borders
//   --norm-widget-grid      chart grid lines
//   --norm-widget-accent    the main button, the current stage, focus marks (not a set colour, so
//                           a host's accent can never make two channels look alike)
//   --norm-widget-accent-1  channel 1 (or the first example or group)
//   --norm-widget-accent-2  channel 2 (or the second example or group)
//   --norm-widget-accent-3 … --norm-widget-accent-8  the third to eighth set's colour
//   --norm-widget-stat      the batch statistics drawn on the charts (μ, μ ± σ)
//   --norm-widget-focus     the keyboard focus ring
//   --norm-widget-on-accent text on the main button

const CSS = String.raw`
:host {
  --norm-widget-bg: #ffffff;
  --norm-widget-fg: #1f2328;
  --norm-widget-muted: #59606a;
  --norm-widget-border: #cfd0ca;
  --norm-widget-grid: rgba(0, 0, 0, 0.08);
  --norm-widget-accent: #1f5fa8;
  --norm-widget-accent-1: #1f5fa8;
  --norm-widget-accent-2: #a4540a;
  --norm-widget-accent-3: #2e7d32;
  --norm-widget-accent-4: #7b3fa0;
  --norm-widget-accent-5: #00838f;
  --norm-widget-accent-6: #ad1457;
  --norm-widget-accent-7: #5d6d00;
  --norm-widget-accent-8: #4e5aa8;
  --norm-widget-stat: #c0262d;
  --norm-widget-focus: #c25e00;
  --norm-widget-on-accent: #ffffff;
  display: block;
  color: var(--norm-widget-fg);
  line-height: 1.45;
}

@media (prefers-color-scheme: dark) {
  :host {
    --norm-widget-bg: #1e2024;
    --norm-widget-fg: #e4e4e0;
    --norm-widget-muted: #a3a8b0;
    --norm-widget-border: #41444b;
    --norm-widget-grid: rgba(255, 255, 255, 0.1);
    --norm-widget-accent: #8cb8f0;
    --norm-widget-accent-1: #8cb8f0;
    --norm-widget-accent-2: #f0a35e;
    --norm-widget-accent-3: #81c784;
    --norm-widget-accent-4: #ce93d8;
    --norm-widget-accent-5: #4dd0e1;
    --norm-widget-accent-6: #f48fb1;
    --norm-widget-accent-7: #c5d86d;
    --norm-widget-accent-8: #9fa8da;
    --norm-widget-stat: #ff8a80;
    --norm-widget-focus: #ffb061;
    --norm-widget-on-accent: #10161f;
  }
}

:host([hidden]) {
  display: none;
}

*,
*::before,
*::after {
  box-sizing: border-box;
}

.widget {
  container-type: inline-size;
  background: var(--norm-widget-bg);
  border: 1px solid var(--norm-widget-border);
  border-radius: 8px;
  padding: 0.75rem;
  font-size: 0.9375rem;
}

[hidden] {
  display: none !important;
}

:focus-visible {
  outline: 3px solid var(--norm-widget-focus);
  outline-offset: 2px;
}

/* Toolbar: the two buttons that move the animation, and the four stages. */
.toolbar {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 0.5rem 0.75rem;
  margin-bottom: 0.75rem;
}

.buttons {
  display: flex;
  flex-wrap: wrap;
  gap: 0.5rem;
}

button {
  font: inherit;
  font-weight: 600;
  min-height: 2.25rem;
  min-width: 5.5rem;
  padding: 0.3rem 0.9rem;
  border-radius: 6px;
  border: 1px solid var(--norm-widget-border);
  background: transparent;
  color: var(--norm-widget-fg);
  cursor: pointer;
}

button.primary {
  background: var(--norm-widget-accent);
  border-color: var(--norm-widget-accent);
  color: var(--norm-widget-on-accent);
}

button:disabled,
input:disabled,
select:disabled {
  opacity: 0.55;
  cursor: not-allowed;
}

.stages {
  display: flex;
  flex-wrap: wrap;
  gap: 0.35rem;
  margin: 0;
  padding: 0;
  list-style: none;
  counter-reset: stage;
}

.stages li {
  counter-increment: stage;
  margin: 0;
  padding: 0.15rem 0.5rem;
  border: 1px solid var(--norm-widget-border);
  border-radius: 999px;
  color: var(--norm-widget-muted);
  font-size: 0.8125rem;
  white-space: nowrap;
}

.stages li::before {
  content: counter(stage) ". ";
}

.stages li.skipped {
  border-style: dashed;
  white-space: normal;
}

.stages li[aria-current="step"] {
  border-color: var(--norm-widget-accent);
  color: var(--norm-widget-fg);
  font-weight: 600;
  box-shadow: inset 0 0 0 1px var(--norm-widget-accent);
}

.formula {
  font-family: "Cambria Math", "STIX Two Math", "DejaVu Serif", Georgia, serif;
  font-style: italic;
  font-weight: 400;
}

/* Charts: explicit heights, because Chart.js takes its size from the container. */
.charts {
  display: grid;
  grid-template-columns: repeat(2, minmax(0, 1fr));
  gap: 0.75rem;
}

.charts .wide,
.charts .sets {
  grid-column: 1 / -1;
}

/* One histogram per set: two side by side, three across when there are more (four stay 2 × 2). */
.sets {
  display: grid;
  grid-template-columns: repeat(2, minmax(0, 1fr));
  gap: 0.75rem;
}

.sets[data-count="1"] {
  grid-template-columns: minmax(0, 1fr);
}

.sets:is([data-count="3"], [data-count="5"], [data-count="6"], [data-count="7"], [data-count="8"]) {
  grid-template-columns: repeat(3, minmax(0, 1fr));
}

.sets:not([data-count="1"], [data-count="2"]) .chart-box {
  height: 9rem;
}

figure {
  margin: 0;
  min-width: 0;
}

figcaption {
  font-size: 0.8125rem;
  font-weight: 600;
  margin-bottom: 0.15rem;
}

figcaption .note {
  font-weight: 400;
  color: var(--norm-widget-muted);
}

.chart-box {
  position: relative;
  width: 100%;
  height: 11rem;
}

.chart-box.tall {
  height: 15rem;
}

.chart-box canvas {
  display: block;
}

.key,
.legend {
  margin: 0.5rem 0 0;
  font-size: 0.8125rem;
  color: var(--norm-widget-muted);
}

.swatch {
  display: inline-block;
  width: 1.4rem;
  vertical-align: middle;
  margin: 0 0.25rem 0 0.1rem;
  border-top: 2px solid var(--norm-widget-stat);
}

.swatch.dashed {
  border-top-style: dashed;
}

.swatch.ch1,
.swatch.set-1 {
  border-top-color: var(--norm-widget-accent-1);
}

.swatch.ch2,
.swatch.set-2 {
  border-top-color: var(--norm-widget-accent-2);
}

.swatch.set-3 { border-top-color: var(--norm-widget-accent-3); }
.swatch.set-4 { border-top-color: var(--norm-widget-accent-4); }
.swatch.set-5 { border-top-color: var(--norm-widget-accent-5); }
.swatch.set-6 { border-top-color: var(--norm-widget-accent-6); }
.swatch.set-7 { border-top-color: var(--norm-widget-accent-7); }
.swatch.set-8 { border-top-color: var(--norm-widget-accent-8); }

.legend .item {
  white-space: nowrap;
}

.swatch.thin {
  border-top-width: 1px;
}

.swatch.thick {
  border-top-width: 3px;
}

.swatch.neutral {
  border-top-color: var(--norm-widget-fg);
}

.status {
  margin: 0.75rem 0 0;
  padding: 0.5rem 0.65rem;
  border-left: 3px solid var(--norm-widget-accent);
  background: color-mix(in srgb, var(--norm-widget-accent) 7%, transparent);
  font-variant-numeric: tabular-nums;
}

.failed > :not(.error) {
  display: none;
}

.error {
  margin: 0;
  padding: 1rem;
  border: 1px dashed var(--norm-widget-border);
  border-radius: 6px;
  color: var(--norm-widget-fg);
}

/* Controls */
.panels {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 13.5rem), 1fr));
  gap: 0.75rem;
  margin-top: 0.75rem;
}

fieldset {
  min-width: 0;
  margin: 0;
  padding: 0.5rem 0.75rem 0.75rem;
  border: 1px solid var(--norm-widget-border);
  border-radius: 6px;
}

legend {
  padding: 0 0.25rem;
  font-weight: 600;
  font-size: 0.875rem;
}

.field {
  display: grid;
  grid-template-columns: minmax(0, 1fr) auto;
  align-items: center;
  gap: 0.1rem 0.5rem;
  margin-top: 0.4rem;
}

.field label,
.field .head {
  font-size: 0.875rem;
}

.field input,
.field select {
  grid-column: 1 / -1;
  width: 100%;
  min-width: 0;
}

.field .value {
  font-variant-numeric: tabular-nums;
  font-size: 0.875rem;
  color: var(--norm-widget-muted);
}

.symbol {
  font-family: "Cambria Math", "STIX Two Math", "DejaVu Serif", Georgia, serif;
  font-style: italic;
  color: var(--norm-widget-muted);
}

input[type="number"],
select {
  font: inherit;
  min-height: 2.25rem;
  padding: 0.2rem 0.4rem;
  border: 1px solid var(--norm-widget-border);
  border-radius: 4px;
  background: var(--norm-widget-bg);
  color: var(--norm-widget-fg);
}

input[type="range"] {
  accent-color: var(--norm-widget-accent);
  min-height: 1.75rem;
  margin: 0;
}

input[aria-invalid="true"] {
  border-color: var(--norm-widget-stat);
  outline: 2px solid var(--norm-widget-stat);
}

.note {
  grid-column: 1 / -1;
  margin: 0.3rem 0 0;
  font-size: 0.8125rem;
  color: var(--norm-widget-muted);
}

fieldset .actions {
  display: flex;
  flex-wrap: wrap;
  gap: 0.5rem;
  margin-top: 0.6rem;
}

fieldset.mode {
  margin-top: 0.5rem;
  padding: 0.25rem 0.6rem 0.4rem;
}

fieldset.mode label {
  display: inline-flex;
  align-items: center;
  gap: 0.3rem;
  margin-right: 1rem;
  min-height: 2rem;
  font-size: 0.875rem;
}

/* Training */
.training {
  margin-top: 0.75rem;
}

.training-text {
  margin: 0.5rem 0 0;
  font-size: 0.8125rem;
  font-variant-numeric: tabular-nums;
}

table.example {
  margin-top: 0.5rem;
  border-collapse: collapse;
  font-size: 0.8125rem;
  font-variant-numeric: tabular-nums;
}

table.example caption {
  text-align: left;
  color: var(--norm-widget-muted);
  padding-bottom: 0.2rem;
}

table.example th,
table.example td {
  padding: 0.15rem 0.4rem;
  border-bottom: 1px solid var(--norm-widget-border);
  text-align: right;
}

table.example th:first-child {
  text-align: left;
  padding-left: 0;
}

table.example .active {
  background: color-mix(in srgb, var(--norm-widget-accent) 12%, transparent);
  font-weight: 600;
}

@container (max-width: 34rem) {
  .charts,
  .sets[data-count="2"] {
    grid-template-columns: minmax(0, 1fr);
  }

  .sets:not([data-count="1"], [data-count="2"]) {
    grid-template-columns: repeat(2, minmax(0, 1fr));
    gap: 0.5rem;
  }

  .sets:not([data-count="1"], [data-count="2"]) .chart-box {
    height: 8rem;
  }

  .sets:not([data-count="1"], [data-count="2"]) figcaption {
    font-size: 0.75rem;
  }

  /* The status text says what each set holds; a narrow caption keeps only its name. */
  .sets:not([data-count="1"], [data-count="2"]) figcaption .note {
    display: none;
  }

  .chart-box {
    height: 10rem;
  }

  .chart-box.tall {
    height: 14rem;
  }
}

@media (prefers-reduced-motion: reduce) {
  * {
    transition: none !important;
  }
}
`;

let sheet = null;

/** The shared stylesheet (created on first use, so importing this module costs nothing). */
export function widgetStyles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}
