// The comparison view's static markup; every value is filled in later through textContent,
// form properties or generated cells.
import { METHODS } from './methods.js';

const figure = ({ id, label, over }) => `
  <figure data-method="${id}">
    <figcaption>${label}<small>statistics over ${over}</small></figcaption>
    <div class="scroll"><div class="block mini" aria-hidden="true"></div></div>
    <p class="stats"></p>
  </figure>`;

export const MARKUP = `
<div class="controls">
  <label>Batch size (N) <input name="n" type="number" min="1" max="8" step="1"></label>
  <label>Channels (C) <select name="c"><option>2</option><option>3</option><option>4</option><option>6</option><option>8</option></select></label>
  <label>Spatial positions (S) <input name="s" type="number" min="1" max="4" step="1"></label>
  <label>Groups (G) <select name="groups"></select></label>
  <label>Seed <input name="seed" type="number" min="0" step="1"></label>
</div>
<h3>Which values share statistics</h3>
<p>Each row is a sample, each column block a channel, each cell one spatial position. Focus or hover
a cell (arrow keys move) to outline every value normalised together with it under each method.</p>
<div class="scroll"><div class="block input" role="grid" aria-label="Input batch"></div></div>
<p class="summary" role="status" aria-live="polite"></p>
<h3>The same batch, normalised five ways</h3>
<p>Colour shows each output (blue below zero, orange above); the outlined cells are the chosen cell's set.</p>
<div class="methods">${METHODS.map(figure).join('')}</div>
<h3>Does the batch matter?</h3>
<p>How far sample 1's outputs move between this batch and the full batch of 8 samples.</p>
<div class="table-scroll"><table class="dependence"><thead><tr><th>Method</th><th>Sample 1's outputs</th></tr></thead><tbody></tbody></table></div>
<h3>What each method ignores</h3>
<div class="controls">
  <label>Scale by k <input name="k" type="number" step="any" value="3"></label>
  <label>Shift by c <input name="shift" type="number" step="any" value="5"></label>
  <label>Change sample 2 by <input name="perturb" type="number" step="any" value="4"></label>
</div>
<div class="table-scroll"><table class="invariance"><thead><tr><th>Method</th><th>All × k</th><th>All + c</th><th>Sample 1 when sample 2 changes</th></tr></thead><tbody></tbody></table></div>
`;
