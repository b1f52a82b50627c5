// Provisional presets so the lab builds and runs before branch train-core lands its presets.js
// (with the claims its test measured); that file replaces this one when merged.
export const PRESETS = [
  {
    id: 'higher-lr',
    label: 'Higher learning rate',
    lookFor: 'At lr 3 the network without a norm diverges or stalls; batch norm learns.',
    settings: {
      dataset: 'spirals',
      lr: 3,
      initScale: 1,
      depth: 3,
      batchSize: 32,
      norms: ['none', 'batch'],
      steps: 2000,
    },
  },
  {
    id: 'bad-init',
    label: 'Bad initialisation',
    lookFor: 'Weights 5 times too large.',
    settings: {
      dataset: 'moons',
      lr: 0.1,
      initScale: 5,
      depth: 4,
      batchSize: 32,
      norms: ['none', 'batch'],
      steps: 1500,
    },
  },
  {
    id: 'deep',
    label: 'Deep network',
    lookFor: 'Eight hidden layers.',
    settings: {
      dataset: 'rings',
      lr: 0.1,
      initScale: 1,
      depth: 8,
      batchSize: 32,
      norms: ['none', 'batch'],
      steps: 2000,
    },
  },
  {
    id: 'tiny-batches',
    label: 'Tiny batches',
    lookFor: 'Batches of 2: group norm beats batch norm.',
    settings: {
      dataset: 'xor',
      lr: 0.05,
      initScale: 1,
      depth: 3,
      batchSize: 2,
      norms: ['batch', 'group'],
      steps: 2000,
    },
  },
];
