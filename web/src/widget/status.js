// The words that go with the pictures: the live status line, the training summary and the
// example table. A canvas is invisible to a screen reader; these say what the charts show.
import { normOf } from '../norms.js';
import { CHANNEL_MEANS, CHANNEL_STDS } from './population.js';
import { MAX_HISTOGRAMS } from './sets.js';

/** Three decimals, with no "-0.000". */
export function format(value) {
  if (!Number.isFinite(value)) return String(value);
  const text = value.toFixed(3);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
}

const capitalised = (text) => text[0].toUpperCase() + text.slice(1);

/** The stage's name in the status (norms.js: RMS norm's last stage scales by γ, shifts nothing). */
export function stageName(norm, stage) {
  const found = normOf(norm).stages.find((s) => s.id === stage);
  return found?.status ?? stage;
}

function range(values, from) {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = from; k < values.length; k++) {
    lo = Math.min(lo, values[k]);
    hi = Math.max(hi, values[k]);
  }
  return `from ${format(lo)} to ${format(hi)}`;
}

// Two decimals with a true minus sign, and no "−0.00": the short line is read at a glance.
function brief(value) {
  if (!Number.isFinite(value)) return String(value);
  const text = value.toFixed(2);
  if (/^-0\.00$/.test(text)) return text.slice(1);
  return text.replace('-', '\u2212');
}

// "0.00" when every set shows the same value, else "lowest…highest".
function spanOf(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const [a, b] = [brief(lo), brief(hi)];
  return a === b ? a : `${a}…${b}`;
}

/**
 * The status line: the stage and the range of the sets' means and spreads, short enough for one
 * line on a phone, e.g. "Centred: mean 0.00, std 0.63…2.04"; RMS norm gives its rms instead of
 * the std. The full sentence (statusText) sits behind the Details disclosure under it.
 */
export function shortStatus(state) {
  const stats = state.currentStats;
  const rms = normOf(state.norm).spread === 'rms';
  const spread = rms ? `rms ${spanOf(stats.rms)}` : `std ${spanOf(stats.std)}`;
  return `${capitalised(stageName(state.norm, state.stage))}: mean ${spanOf(stats.mean)}, ${spread}`;
}

/**
 * e.g. "Stage: centred. Channel 1: mean 0.000, std 2.031. Channel 2: mean 0.000, std 0.498. …"
 * (batch norm), "Stage: scaled. Example 1: mean 0.000, std 1.000. …" (layer norm); RMS norm adds
 * "rms 1.000" to each set. Every set drawn as a histogram is listed; any others are summarised.
 */
export function statusText(state) {
  const stats = state.currentStats;
  const { sets, norm } = state;
  const parts = [`Stage: ${stageName(norm, state.stage)}.`];
  const shown = Math.min(sets.count, MAX_HISTOGRAMS);
  for (let k = 0; k < shown; k++) {
    const rms = stats.rms ? `, rms ${format(stats.rms[k])}` : '';
    parts.push(
      `${sets.label(k)}: mean ${format(stats.mean[k])}, std ${format(stats.std[k])}${rms}.`,
    );
  }
  if (sets.count > shown) {
    const rms = stats.rms ? `, rms ${range(stats.rms, shown)}` : '';
    parts.push(
      `Sets ${shown + 1} to ${sets.count} (in the strip chart only): ` +
        `means ${range(stats.mean, shown)}, stds ${range(stats.std, shown)}${rms}.`,
    );
  }
  const description = normOf(norm);
  if (description.runningStats) {
    const mode =
      state.params.mode === 'training'
        ? 'Training mode (batch statistics)'
        : 'Inference mode (running statistics)';
    parts.push(`${mode}, batch size ${state.n}, step ${state.step}.`);
  } else {
    const { c, s } = state.shape;
    const groups = description.takesGroups
      ? `, ${state.params.groups} group${state.params.groups === 1 ? '' : 's'}`
      : '';
    parts.push(
      `${capitalised(description.label)}, batch size ${state.n} ` +
        `(each example ${c} channel${c === 1 ? '' : 's'} × ${s} positions${groups}), ` +
        `step ${state.step}; training and inference give the same result.`,
    );
  }
  return parts.join(' ');
}

/** The training chart in words (batch norm); for the other norms, why there is none. */
export function trainingText(state) {
  const description = normOf(state.norm);
  if (!description.runningStats) {
    const { c, s } = state.shape;
    const largest = state.example.largestDifference;
    return (
      `${capitalised(description.label)} keeps no running statistics, so there is no ` +
      `training curve: step ${state.step} is normalised exactly as any other. ` +
      `Example 1 on its own and within the batch of ${state.n}: the largest difference ` +
      `over its ${c * s} outputs is ${largest === 0 ? '0' : largest.toExponential(1)}.`
    );
  }
  const h = state.history[state.history.length - 1];
  const parts = [`Training step ${h.step}.`];
  for (let ch = 0; ch < h.batchMean.length; ch++) {
    parts.push(
      `Channel ${ch + 1}: batch mean ${format(h.batchMean[ch])}, ` +
        `running mean ${format(h.runningMean[ch])}, population ${format(CHANNEL_MEANS[ch])}; ` +
        `batch std ${format(h.batchStd[ch])}, ` +
        `running std ${format(h.runningStd[ch])}, population ${format(CHANNEL_STDS[ch])}.`,
    );
  }
  return parts.join(' ');
}

/**
 * Fills the example table's body: example 1’s x and y per channel. Batch norm: y in training and
 * in inference mode, the active mode marked; the others: y within the batch and alone.
 */
export function renderExample(table, state) {
  const { x, a, b } = state.example;
  const batch = normOf(state.norm).runningStats;
  const rows = [];
  for (let ch = 0; ch < x.length; ch++) {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = `${ch + 1}`;
    tr.append(th);
    for (const [value, mode] of [
      [x[ch], null],
      [a[ch], 'training'],
      [b[ch], 'inference'],
    ]) {
      const td = document.createElement('td');
      td.textContent = format(value);
      if (mode && batch) td.dataset.mode = mode;
      tr.append(td);
    }
    rows.push(tr);
  }
  table.tBodies[0].replaceChildren(...rows);
  for (const cell of table.querySelectorAll('[data-mode]')) {
    cell.classList.toggle('active', cell.dataset.mode === state.params.mode);
  }
}
