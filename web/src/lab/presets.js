// The lab's presets: each makes one claim of the entries happen, with one sentence of what to look
// for. The sentences state what tests/node/presets.test.mjs measured over seeds 1 to 10 (each
// claim must hold for at least 9 of them); `claim.check` is that test's criterion, so the page can
// say whether the run in front of the reader bore it out.
import { Experiment } from './experiment.js';

const pct = (a) => (Number.isFinite(a) ? `${(100 * a).toFixed(1)} %` : 'diverged');
const failed = (a) => !(a >= 0.6); // diverged (NaN) or below 60 %

const DATA = [
  {
    id: 'higher-lr',
    title: 'Higher learning rate',
    lookFor:
      'At learning rate 3 the network without a norm stalls at chance (50 %) or diverges, while batch norm passes 99 % held-out accuracy within 1,000 steps.',
    settings: {
      dataset: 'moons',
      lr: 3,
      initScale: 1,
      depth: 3,
      batchSize: 32,
      norms: ['none', 'batch'],
      steps: 1000,
    },
    claim: {
      statement:
        'Without a norm the network diverges or stays below 60 %; with batch norm it passes 90 %.',
      check: ({ accuracy }) => failed(accuracy.none) && accuracy.batch >= 0.9,
    },
  },
  {
    id: 'bad-init',
    title: 'Bad initialisation',
    lookFor:
      'Weights drawn 5 times too small, four layers deep: without a norm the signal fades and the network never leaves 50 %; batch norm rescales it and reaches 99 % within 1,000 steps.',
    settings: {
      dataset: 'moons',
      lr: 0.1,
      initScale: 0.2,
      depth: 4,
      batchSize: 32,
      norms: ['none', 'batch'],
      steps: 1000,
    },
    claim: {
      statement: 'Without a norm the network stays below 60 %; with batch norm it passes 90 %.',
      check: ({ accuracy }) => failed(accuracy.none) && accuracy.batch >= 0.9,
    },
  },
  {
    id: 'deep',
    title: 'Deep network',
    lookFor:
      'Eight hidden layers: without a norm the network stays at chance (33 %) for 1,000 steps, while batch norm reaches about 95 %.',
    settings: {
      dataset: 'spirals',
      lr: 0.1,
      initScale: 1,
      depth: 8,
      batchSize: 32,
      norms: ['none', 'batch'],
      steps: 1000,
    },
    claim: {
      statement: 'Batch norm passes 90 % and beats no norm by at least 25 points.',
      check: ({ accuracy }) => accuracy.batch >= 0.9 && !(accuracy.none > accuracy.batch - 0.25),
    },
  },
  {
    id: 'tiny-batches',
    title: 'Tiny batches',
    lookFor:
      'Batches of 2: batch norm’s statistics are mostly noise and its held-out accuracy stays near 40–60 %, while group norm, which never looks across the batch, reaches 65–95 %.',
    settings: {
      dataset: 'spirals',
      lr: 0.05,
      initScale: 1,
      depth: 3,
      batchSize: 2,
      norms: ['batch', 'group'],
      steps: 2000,
    },
    claim: {
      statement: 'Group norm’s held-out accuracy beats batch norm’s.',
      check: ({ accuracy }) => accuracy.group > accuracy.batch,
    },
  },
  {
    id: 'forgot-eval',
    title: 'Forgot eval mode',
    lookFor:
      'Held-out points arriving sorted by class, 16 at a time: with its running statistics batch norm classifies about 95 % right, but left in training mode it normalises each batch by that batch alone and drops to about 40 %; layer norm gives the same answer either way.',
    settings: {
      dataset: 'spirals',
      lr: 0.1,
      initScale: 1,
      depth: 3,
      batchSize: 32,
      norms: ['batch', 'layer'],
      steps: 1000,
    },
    evalBatch: 16,
    claim: {
      statement:
        'Batch norm passes 90 % with running statistics and loses at least 30 points with batch statistics.',
      check: ({ evalModes }) =>
        evalModes.batch.running >= 0.9 && evalModes.batch.batch <= evalModes.batch.running - 0.3,
    },
  },
  {
    id: 'deep-no-batch-statistics',
    title: 'Deep, without batch statistics',
    lookFor:
      'Eight hidden layers: layer norm and RMS norm, which normalise each example on its own, end 30 to 63 points above the network without a norm, which stays at chance (33 %) for 1,000 steps.',
    settings: {
      dataset: 'spirals',
      lr: 0.1,
      initScale: 1,
      depth: 8,
      batchSize: 32,
      norms: ['none', 'layer', 'rms'],
      steps: 1000,
    },
    claim: {
      statement: 'Layer norm and RMS norm each beat no norm by at least 20 points.',
      check: ({ accuracy }) =>
        !(accuracy.none > accuracy.layer - 0.2) && !(accuracy.none > accuracy.rms - 0.2),
    },
  },
];

// `label` repeats the title for the lab's element, which reads that name.
export const PRESETS = Object.freeze(DATA.map((p) => Object.freeze({ ...p, label: p.title })));

/**
 * Runs a preset for `seed` to its step budget and measures what its claim is about: held-out
 * accuracy per norm (NaN once diverged) and, for Forgot eval mode, accuracy with running against
 * batch statistics. Returns { holds, accuracy, evalModes, summary }.
 */
export function measurePreset(core, preset, seed) {
  const experiment = new Experiment(core, { ...preset.settings, seed });
  try {
    experiment.run(preset.settings.steps);
    const { nets } = experiment.evaluate();
    const accuracy = {};
    experiment.nets.forEach((n, i) => (accuracy[n.norm] = nets[i].accuracy));
    const evalModes = {};
    if (preset.evalBatch) {
      experiment
        .evalModes(preset.evalBatch)
        .forEach((m, i) => (evalModes[experiment.nets[i].norm] = m));
    }
    const measured = { accuracy, evalModes };
    const summary = preset.evalBatch
      ? Object.entries(evalModes)
          .map(([norm, m]) => `${norm}: running ${pct(m.running)}, batch ${pct(m.batch)}`)
          .join('; ')
      : Object.entries(accuracy)
          .map(([norm, a]) => `${norm} ${pct(a)}`)
          .join(', ');
    return { holds: preset.claim.check(measured), ...measured, summary };
  } finally {
    experiment.free();
  }
}
