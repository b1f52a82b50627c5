// The words that go with the pictures: the live status line, the training summary and the
// example table. A canvas is invisible to a screen reader; these say what the charts show.
import { CHANNEL_MEANS, CHANNEL_STDS, CHANNELS } from './population.js';

/** Three decimals, with no "-0.000". */
export function format(value) {
  if (!Number.isFinite(value)) return String(value);
  const text = value.toFixed(3);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
}

/** e.g. "Stage: centred. Channel 1: mean 0.000, std 2.031. Channel 2: mean 0.000, std 0.498. …" */
export function statusText(state) {
  const stats = state.currentStats;
  const parts = [`Stage: ${state.stage}.`];
  for (let ch = 0; ch < CHANNELS; ch++) {
    parts.push(`Channel ${ch + 1}: mean ${format(stats.mean[ch])}, std ${format(stats.std[ch])}.`);
  }
  const mode = state.params.mode === 'training' ? 'Training mode (batch statistics)' : 'Inference mode (running statistics)';
  parts.push(`${mode}, batch size ${state.n}, step ${state.step}.`);
  return parts.join(' ');
}

/** The training chart in words: the latest step's batch, running and population statistics. */
export function trainingText(state) {
  const h = state.history[state.history.length - 1];
  const parts = [`Training step ${h.step}.`];
  for (let ch = 0; ch < CHANNELS; ch++) {
    parts.push(
      `Channel ${ch + 1}: batch mean ${format(h.batchMean[ch])}, running mean ${format(h.runningMean[ch])}, ` +
        `population ${format(CHANNEL_MEANS[ch])}; batch std ${format(h.batchStd[ch])}, ` +
        `running std ${format(h.runningStd[ch])}, population ${format(CHANNEL_STDS[ch])}.`,
    );
  }
  return parts.join(' ');
}

/** Fills the example table's body: example #0's x and y in both modes, the active mode marked. */
export function renderExample(table, state) {
  const { x, yTraining, yInference } = state.example;
  const rows = [];
  for (let ch = 0; ch < CHANNELS; ch++) {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = `${ch + 1}`;
    tr.append(th);
    for (const [value, mode] of [[x[ch], null], [yTraining[ch], 'training'], [yInference[ch], 'inference']]) {
      const td = document.createElement('td');
      td.textContent = format(value);
      if (mode) td.dataset.mode = mode;
      tr.append(td);
    }
    rows.push(tr);
  }
  table.tBodies[0].replaceChildren(...rows);
  for (const cell of table.querySelectorAll('[data-mode]')) {
    cell.classList.toggle('active', cell.dataset.mode === state.params.mode);
  }
}
