// The lab's text equivalent of its charts: one sentence per network, for the role="status" region
// and for tests ("Batch norm: step 1200, loss 0.083, accuracy 97.5 %").
import { keepsRunningStats, NORM_LABELS } from './settings.js';

/** Names per network; a norm used twice is numbered ("No norm (2)"). */
export function networkNames(norms) {
  return norms.map((norm, i) => {
    const label = NORM_LABELS[norm] ?? norm;
    const twins = norms.filter((n) => n === norm).length;
    if (twins < 2) return label;
    return `${label} (${norms.slice(0, i + 1).filter((n) => n === norm).length})`;
  });
}

export function networkSentence(name, step, { loss, accuracy, diverged }) {
  if (diverged) return `${name}: step ${step}, diverged (the loss is no longer finite)`;
  const acc = Number.isFinite(accuracy) ? `${(accuracy * 100).toFixed(1)} %` : 'not measured';
  const l = Number.isFinite(loss) ? loss.toFixed(3) : 'not finite';
  return `${name}: step ${step}, loss ${l}, accuracy ${acc}`;
}

/**
 * The sentence on a batch-norm network evaluated as if left in training mode (`mode` from the
 * experiment's evalModes(): { running, batch } accuracies).
 */
export function evalModeSentence(name, mode) {
  if (!Number.isFinite(mode?.batch)) return null;
  const pct = (v) => `${(v * 100).toFixed(1)} %`;
  return `${name} left in training mode at evaluation (batch statistics): accuracy ${pct(mode.batch)}, against ${pct(mode.running)} in inference mode`;
}

/** The whole status text; `evalModes` (when paused) adds a sentence per batch-norm network. */
export function statusText(norms, step, nets, { playing, finished, evalModes = null }) {
  const names = networkNames(norms);
  const sentences = nets.map((n, i) => networkSentence(names[i], step, n));
  if (evalModes && !playing) {
    norms.forEach((norm, i) => {
      const s = keepsRunningStats(norm) && evalModeSentence(names[i], evalModes[i]);
      if (s) sentences.push(s);
    });
  }
  const state = finished ? 'Finished.' : playing ? 'Training.' : 'Paused.';
  return `${state} ${sentences.join('. ')}.`;
}
