// The comparison view's static markup; every value is filled in later through textContent,
// form properties or generated cells.
import { METHODS } from './methods.js';

// A panel is one button: its accessible name (set live) says the set's size and statistics.
const figure = ({ id, label, over }) => `
  <figure data-method="${id}" role="button" tabindex="0" aria-pressed="false">
    <figcaption>${label}<small>statistics over ${over}</small></figcaption>
    <div class="cube" aria-hidden="true"></div>
    <p class="stats"></p>
  </figure>`;

const methodChoice = ({ id, label }, i) =>
  `<label><input type="radio" name="show" value="${id}"${i === 0 ? ' checked' : ''}> ${label}</label>`;

export const MARKUP = `
<div class="controls shape">
  <label>Batch size (N) <input name="n" type="number" min="1" max="8" step="1"></label>
  <label>Channels (C) <select name="c"><option>2</option><option>3</option><option>4</option><option>6</option><option>8</option></select></label>
  <label>Spatial positions (S) <input name="s" type="number" min="1" max="4" step="1"></label>
  <label>Groups (G) <select name="groups"></select></label>
  <label>Seed <input name="seed" type="number" min="0" step="1"></label>
</div>
<h3>Which values share statistics</h3>
<p>The input batch, unfolded: a tile per sample, a row per channel, a column per position.
Choose a value (hover, tap, or arrow keys once a cell has focus): the values normalised
together with it are <span class="key filled">filled</span> and the rest are
<span class="key dimmed">dimmed</span>, here for the method you pick and below for all five.</p>
<fieldset class="show"><legend>Fill the set of</legend>${METHODS.map(methodChoice).join('')}</fieldset>
<div class="block input" role="group" aria-label="Input batch: choose a value"></div>
<p class="summary" role="status" aria-live="polite"></p>
<h3>The same value's set under each method</h3>
<p>Each panel draws the batch as Wu and He's cube: examples (N) across, positions (H, W) down,
channels (C) into depth, one small cube per value and the chosen value outlined. Pick a panel (click
it, or Tab to it and press Enter) to show its set in the input above.</p>
<div class="methods">${METHODS.map(figure).join('')}</div>
<h3>Does the batch matter?</h3>
<p class="dependence-note">Sample 1 is normalised twice: in this batch, and in a batch of the same
size whose other samples are a different draw. Only a method that looks at the other samples can
give sample 1 different outputs.</p>
<div class="table-scroll"><table class="dependence"><thead><tr><th>Method</th><th>Sample 1's outputs</th></tr></thead><tbody></tbody></table></div>
<h3>What each method ignores</h3>
<div class="controls">
  <label>Multiply all by k <input name="k" type="number" step="any" value="3"></label>
  <label>Add c to all <input name="shift" type="number" step="any" value="5"></label>
  <label>Change sample 2 by <input name="perturb" type="number" step="any" value="4"></label>
</div>
<div class="table-scroll"><table class="invariance"><thead><tr><th>Method</th><th>All × k</th><th>All + c</th><th>Sample 1 when sample 2 changes</th></tr></thead><tbody></tbody></table></div>
`;
