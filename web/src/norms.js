// Every normalisation the site explains, described once: its names, the core's operations, which
// values share statistics, its affine parameters, its stages and their wording, whether it keeps
// running statistics. The widget, the comparison, the content renderer and the browser tests read
// this file; a new normalisation is one more entry in NORMS (plus its C++ op and its content page).
//
// Stage ids: 'raw' (x), 'centred' (x − μ), 'scaled' (x̂), 'shifted' (γ·x̂ + β). CORE_STAGE names
// the value of the forward operation's `stage` option that returns each ('raw' needs no call).

const SUB_B = '<sub>B</sub>';

/** The core's forward option `stage` for each widget stage (null: x itself). */
export const CORE_STAGE = Object.freeze({
  raw: null,
  centred: 'centred',
  scaled: 'scaled',
  shifted: 'output',
});

// Formulas are written with the placeholders {mean} and {var}, the symbols of the statistics in
// use (`symbols` of a description: per mode for a norm with running statistics, whose inference
// uses the running estimates instead of the batch's). `term` names the part of the figure's
// formula a stage applies, which the figure lights up at that stage.
const CENTRING_STAGES = [
  { id: 'raw', label: 'raw', formula: 'x', term: null },
  { id: 'centred', label: 'centred', formula: 'x − {mean}', term: 'mean' },
  { id: 'scaled', label: 'scaled', formula: 'x̂ = (x − {mean}) / √({var} + ε)', term: 'spread' },
  { id: 'shifted', label: 'scaled and shifted', formula: 'γ·x̂ + β', term: 'affine' },
];

// y = γ · (x − mean) / √(var + ε) + β, in parts; a part with a term lights up with its stage.
const CENTRING_FORMULA = [
  { text: 'y = ' },
  { text: 'γ', term: 'affine' },
  { text: ' · (x ' },
  { text: '− {mean}', term: 'mean' },
  { text: ') ' },
  { text: '/ √({var} + ε)', term: 'spread' },
  { text: ' ' },
  { text: '+ β', term: 'affine' },
];

const SET_SYMBOLS = { training: { mean: 'μ', var: 'σ²' } };

/** `template` with {mean} and {var} replaced by the symbols `norm` uses in `mode`. */
// Stryker disable next-line StringLiteral: an unknown mode falls back to the training symbols, so no caller can tell the default's value
export function withSymbols(norm, template, mode = 'training') {
  const symbols = normOf(norm).symbols[mode] ?? normOf(norm).symbols.training;
  return template.replaceAll('{mean}', symbols.mean).replaceAll('{var}', symbols.var);
}

// Strip-chart caption and canvas label for the norms drawn one column per set.
function stripWording(what, columns, verb = 'normalised') {
  return {
    caption:
      `${what} <span class="note">(one column per ${columns}, one dot per value: ` +
      `each column is ${verb} on its own)</span>`,
    label:
      `Strip chart of the values at the current stage, one column per ${columns}; ` +
      'the statistics are in the status text',
  };
}

// The key to the lines drawn over the charts: the sets' means, and the band around them.
const key = (mean, band) =>
  `<span class="swatch"></span>${mean} <span class="swatch dashed"></span>${band} ` +
  '(statistics of the values shown)';

// In every description:
//   sets.count(shape, groups) and sets.of(n, c, shape, groups): the one definition of which values
//   are normalised together (read through setIndex below).
//   sets.label(k, shape, groups): "Channel 1", "Example 2, group 1", … (numbered from 1);
//   sets.axis names a set on a chart's axis ('example.group' for ticks such as 2.1).
//   sets.colour(k, shape, groups): index into the theme's set colours.
//   affine: the length of γ (and of β when `shift`) in terms of the shape: 'c' or 'c*s'.
//   perExample: statistics never cross examples, so training and inference agree, a batch of one
//   is fine and the widget draws each example as a feature map of SPATIAL positions.
//   widget: the widget's starting batch and its wording for this norm.
const DESCRIPTIONS = [
  {
    id: 'batch',
    name: 'Batch Normalisation',
    label: 'batch norm',
    abbr: 'BN',
    slug: 'bn',
    page: 'batch-normalisation',
    forward: 'batchNorm',
    backward: 'batchNormBackward',
    // The torch.nn module that computes the same (pytorch-snippet.js); `normalized` is LayerNorm's shape.
    pytorch: ({ c, eps, momentum }) => `nn.BatchNorm1d(${c}, eps=${eps}, momentum=${momentum})`,
    over: 'N and S, per channel',
    runningStats: true,
    perExample: false,
    takesGroups: false,
    centres: true,
    shift: true,
    affine: 'c',
    epsDefault: 'eps',
    spread: 'std',
    sets: {
      count: ({ c }) => c,
      of: (n, c) => c,
      axis: 'channel',
      label: (k) => `Channel ${k + 1}`,
      colour: (k) => k,
    },
    stages: CENTRING_STAGES,
    formula: CENTRING_FORMULA,
    // Training uses the batch's statistics; inference the running estimates.
    symbols: {
      training: { mean: `μ${SUB_B}`, var: `σ²${SUB_B}` },
      inference: { mean: 'μ<sub>run</sub>', var: 'σ²<sub>run</sub>' },
    },
    skips: {},
    widget: {
      // One sentence: what to try in the figure and what to look for (true of what it then shows).
      try:
        'Try: press Play. Watch each channel’s solid μ line move to 0 when the batch mean is ' +
        'subtracted, and the dashed ±σ lines close in to ±1 when the values are divided by σ<sub>B</sub>. ' +
        'Then change γ<sub>c</sub> or β<sub>c</sub> at stage 4 to see them stretch and move one channel.',
      defaults: {},
      key: key(`batch mean μ${SUB_B}`, `μ${SUB_B} ± σ${SUB_B}`),
      wide: {
        caption:
          'Channel 1 against channel 2 ' +
          '<span class="note">(one dot per example in the batch)</span>',
        label: 'Scatter plot of the first two channels at the current stage',
      },
    },
  },
  {
    id: 'layer',
    name: 'Layer Normalisation',
    label: 'layer norm',
    abbr: 'LN',
    slug: 'ln',
    page: 'layer-normalisation',
    forward: 'layerNorm',
    backward: 'layerNormBackward',
    pytorch: ({ normalized, eps }) => `nn.LayerNorm(${normalized}, eps=${eps})`,
    over: 'C and S, per sample',
    runningStats: false,
    perExample: true,
    takesGroups: false,
    centres: true,
    shift: true,
    affine: 'c*s',
    epsDefault: 'eps',
    spread: 'std',
    sets: {
      count: ({ n }) => n,
      of: (n) => n,
      axis: 'example',
      label: (k) => `Example ${k + 1}`,
      colour: (k) => k,
      note: (k, { c, s }) => `${c} channel${c === 1 ? '' : 's'} × ${s} positions`,
    },
    stages: CENTRING_STAGES,
    formula: CENTRING_FORMULA,
    symbols: SET_SYMBOLS,
    skips: {},
    widget: {
      // One sentence: what to try in the figure and what to look for (true of what it then shows).
      try:
        'Try: press Play. Each example is centred and scaled with its own μ and σ: at stage 3 ' +
        'every example has mean 0 and std 1, however far apart the examples started.',
      defaults: { batchSize: 4, channels: 4 },
      key: key('each example’s mean μ', 'μ ± σ'),
      wide: stripWording('Every example', 'example'),
    },
  },
  {
    id: 'instance',
    name: 'Instance Normalisation',
    label: 'instance norm',
    abbr: 'IN',
    slug: 'in',
    page: 'instance-normalisation',
    forward: 'instanceNorm',
    backward: 'instanceNormBackward',
    pytorch: ({ c, eps }) => `nn.InstanceNorm1d(${c}, eps=${eps}, affine=True)`,
    over: 'S, per sample and channel',
    runningStats: false,
    perExample: true,
    takesGroups: false,
    centres: true,
    shift: true,
    affine: 'c',
    epsDefault: 'eps',
    spread: 'std',
    sets: {
      count: ({ n, c }) => n * c,
      of: (n, c, shape) => n * shape.c + c,
      axis: 'example.channel',
      label: (k, { c }) => `Example ${Math.floor(k / c) + 1}, channel ${(k % c) + 1}`,
      // The same channel has the same colour in every example.
      colour: (k, { c }) => k % c,
    },
    stages: CENTRING_STAGES,
    formula: CENTRING_FORMULA,
    symbols: SET_SYMBOLS,
    skips: {},
    widget: {
      // One sentence: what to try in the figure and what to look for (true of what it then shows).
      try:
        'Try: press Play. Each channel of each example gets its own μ and σ: at stage 3 every ' +
        'column has mean 0 and std 1, so the differences in level and contrast between channels are gone.',
      defaults: { batchSize: 2, channels: 4 },
      key: key('mean μ of each channel of each example', 'μ ± σ'),
      wide: stripWording('Every channel of every example', 'example and channel'),
    },
  },
  {
    id: 'group',
    name: 'Group Normalisation',
    label: 'group norm',
    abbr: 'GN',
    slug: 'gn',
    page: 'group-normalisation',
    forward: 'groupNorm',
    backward: 'groupNormBackward',
    pytorch: ({ c, eps, groups }) => `nn.GroupNorm(${groups}, ${c}, eps=${eps})`,
    over: 'C/G channels and S, per sample',
    runningStats: false,
    perExample: true,
    takesGroups: true,
    centres: true,
    shift: true,
    affine: 'c',
    epsDefault: 'eps',
    spread: 'std',
    sets: {
      count: ({ n }, groups) => n * groups,
      of: (n, c, shape, groups) => n * groups + Math.floor(c / (shape.c / groups)),
      axis: 'example.group',
      label: (k, shape, groups) =>
        `Example ${Math.floor(k / groups) + 1}, group ${(k % groups) + 1}`,
      // The same group has the same colour in every example.
      colour: (k, shape, groups) => k % groups,
      note: (k, { c }, groups) => {
        const [first, last] = groupChannels(k % groups, c, groups);
        return first === last ? `channel ${first}` : `channels ${first}–${last}`;
      },
    },
    stages: CENTRING_STAGES,
    formula: CENTRING_FORMULA,
    symbols: SET_SYMBOLS,
    skips: {},
    widget: {
      // One sentence: what to try in the figure and what to look for (true of what it then shows).
      try:
        'Try: press Play, then change G. With G = 1 a group is a whole example (the sets of layer ' +
        'norm); with G equal to the number of channels each group is one channel (those of instance norm).',
      defaults: { batchSize: 2, channels: 4, groups: 2 },
      key: key('mean μ of each group of each example', 'μ ± σ'),
      wide: stripWording('Every group of every example', 'example and group'),
    },
  },
  {
    id: 'rms',
    name: 'RMS Normalisation',
    label: 'RMS norm',
    abbr: 'RMSNorm',
    slug: 'rms',
    page: 'rms-normalisation',
    forward: 'rmsNorm',
    backward: 'rmsNormBackward',
    pytorch: ({ normalized, eps }) => `nn.RMSNorm(${normalized}, eps=${eps})`,
    pytorchNote: 'nn.RMSNorm needs PyTorch 2.4 or later.',
    over: 'C and S, per sample, no centring',
    runningStats: false,
    perExample: true,
    takesGroups: false,
    centres: false,
    shift: false,
    affine: 'c*s',
    epsDefault: 'rmsEps',
    spread: 'rms',
    sets: {
      count: ({ n }) => n,
      of: (n) => n,
      axis: 'example',
      label: (k) => `Example ${k + 1}`,
      colour: (k) => k,
      note: (k, { c, s }) => `${c} channel${c === 1 ? '' : 's'} × ${s} positions`,
    },
    stages: [
      { id: 'raw', label: 'raw', formula: 'x', term: null },
      { id: 'scaled', label: 'scaled', formula: 'x̂ = x / √(mean(x²) + ε)', term: 'spread' },
      {
        id: 'shifted',
        label: 'gain, no shift',
        status: 'scaled by γ',
        formula: 'γ·x̂',
        term: 'affine',
      },
    ],
    formula: [
      { text: 'y = ' },
      { text: 'γ', term: 'affine' },
      { text: ' · x ' },
      { text: '/ √(mean(x²) + ε)', term: 'spread' },
    ],
    symbols: SET_SYMBOLS,
    skips: { centred: 'RMS norm does not subtract the mean' },
    widget: {
      // One sentence: what to try in the figure and what to look for (true of what it then shows).
      try:
        'Try: press Play. Nothing is subtracted: at stage 2 every example’s root mean square is 1 ' +
        '(the dashed ±rms lines), but the means μ are not moved to 0.',
      defaults: { batchSize: 4, channels: 4 },
      key: key('each example’s mean μ (never subtracted)', '± rms, the root mean square, around 0'),
      wide: stripWording('Every example', 'example', 'scaled'),
    },
  },
];

function deepFreeze(value) {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The descriptions, in the order the site lists them. */
export const NORMS = deepFreeze(DESCRIPTIONS);

/** Their ids: batch, layer, instance, group, rms. */
export const NORM_IDS = Object.freeze(NORMS.map((norm) => norm.id));

const BY_ID = new Map(NORMS.map((norm) => [norm.id, norm]));

/** The description of `id` (or `id` itself when given a description). */
export function normOf(id) {
  if (id && typeof id === 'object' && BY_ID.get(id.id) === id) return id;
  const norm = BY_ID.get(id);
  if (!norm) {
    throw new RangeError(
      `normOf: norm is ${JSON.stringify(id)}, expected one of ${NORM_IDS.join(', ')}`,
    );
  }
  return norm;
}

/** The group counts that divide `c` channels: the only G group norm accepts. */
export function groupChoices(c) {
  const choices = [];
  for (let g = 1; g <= c; g++) if (c % g === 0) choices.push(g);
  return choices;
}

/** Whether `groups` is a whole number that divides `c`. */
export function groupsDivide(c, groups) {
  return Number.isInteger(groups) && groups >= 1 && c % groups === 0;
}

/** Group `g` (from 0) of `groups` over `c` channels, as its [first, last] channel, from 1. */
export function groupChannels(g, c, groups) {
  return [(g * c) / groups + 1, ((g + 1) * c) / groups];
}

/**
 * Which values `norm` normalises together, for a [n, c, s] batch: `count` sets, and `of(n, c)`,
 * the set of the values of example n, channel c (every position of one channel of one example
 * shares a set in all five norms). `groups` matters to group norm only, and must divide c.
 */
export function setIndex(id, shape, groups = 1) {
  const norm = normOf(id);
  if (norm.takesGroups && !groupsDivide(shape.c, groups)) {
    throw new RangeError(
      `setIndex: groups is ${JSON.stringify(groups)}, ` +
        `expected a whole number that divides c = ${shape.c}`,
    );
  }
  const g = norm.takesGroups ? groups : 1;
  return {
    count: norm.sets.count(shape, g),
    of: (n, c) => norm.sets.of(n, c, shape, g),
  };
}

/** The length of γ (and β) of `norm` for this shape. */
export function affineLength(id, { c, s = 1 }) {
  return normOf(id).affine === 'c' ? c : c * s;
}

/** The core's default ε for `norm`, read from the loaded core (never copied). */
export function defaultEps(id, core) {
  return core.defaults[normOf(id).epsDefault];
}

/**
 * Runs `norm`'s forward operation in the core. `options` are the core's (gamma, beta, eps, stage,
 * out, …); `groups` is passed to group norm only; β is dropped for a norm without a shift.
 */
export function runForward(core, id, x, shape, options = {}, groups = 1) {
  const norm = normOf(id);
  const { beta, ...rest } = options;
  const given = norm.shift && beta !== undefined ? { ...rest, beta } : rest;
  return core[norm.forward](x, shape, norm.takesGroups ? { ...given, groups } : given);
}
