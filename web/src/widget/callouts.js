// Lessons said in words when the state shows them: a sentence under the charts that appears
// exactly while its condition holds, with the numbers on screen (all from the core, through the
// state). Empty when no lesson applies.
import { CHANNEL_MEANS, CHANNEL_STDS } from './population.js';
import { format } from './status.js';

/** Running estimates this close to the population (in population standard deviations) count as settled. */
export const SETTLED = 0.1;

/** Whether batch norm is training on batches of two values per channel. */
export function isBatchOfTwo(state) {
  return state.hasRunning && state.params.mode === 'training' && state.n * state.shape.s === 2;
}

/** The first channel whose running mean or std is not yet within SETTLED of its population's. */
export function unsettledChannel(state) {
  const { mean, var: variance } = state.running;
  for (let ch = 0; ch < mean.length; ch++) {
    const off = SETTLED * CHANNEL_STDS[ch];
    const std = Math.sqrt(variance[ch]);
    if (Math.abs(mean[ch] - CHANNEL_MEANS[ch]) > off || Math.abs(std - CHANNEL_STDS[ch]) > off) {
      return ch;
    }
  }
  return -1;
}

/** The callout for this state, or ''. */
export function calloutText(state) {
  if (isBatchOfTwo(state)) return batchOfTwo(state);
  if (state.hasRunning && state.params.mode === 'inference') {
    const ch = unsettledChannel(state);
    if (ch >= 0) return notSettled(state, ch);
  }
  return '';
}

// With two values per channel, each sits as far above the mean as the other sits below, so
// dividing by their standard deviation leaves ±1 whatever the data: the measured gap says how close.
function batchOfTwo(state) {
  const scaled = state.stages.scaled;
  let gap = 0;
  for (const v of scaled) gap = Math.max(gap, Math.abs(Math.abs(v) - 1));
  return (
    'Batch size 2: in each channel the two values lie equally far above and below their mean, ' +
    'so after scaling every value is +1 or −1 whatever the data ' +
    `(here within ${gap < 0.001 ? '0.001' : format(gap)} of ±1). ` +
    'The batch statistics tell the layer nothing about the values beyond their order.'
  );
}

function notSettled(state, ch) {
  const stats = state.stats.scaled;
  const runningStd = Math.sqrt(state.running.var[ch]);
  return (
    `The running statistics have not settled yet: after ${state.step} training ` +
    `step${state.step === 1 ? '' : 's'}, channel ${ch + 1}'s running mean is ` +
    `${format(state.running.mean[ch])} and its running std ${format(runningStd)}, against ` +
    `${format(CHANNEL_MEANS[ch])} and ${format(CHANNEL_STDS[ch])} in the population. ` +
    `So in inference mode this batch's scaled values in channel ${ch + 1} have mean ` +
    `${format(stats.mean[ch])} and std ${format(stats.std[ch])}, not 0 and 1. ` +
    'Train for more steps to let them settle.'
  );
}
