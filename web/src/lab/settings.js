// The lab's settings: their ranges and defaults, the log-scale sliders' mapping, and reading them
// from the element's attributes. Pure functions, shared by the element and its tests.

import { NORMS, normOf, setIndex } from '../norms.js';

// The normalisations a network can use, plus none: those of norms.js whose sets pool several values
// of a dense layer's output [n, features] (instance norm's sets are single values without positions).
const DENSE = { n: 2, c: 2, s: 1 };
const NETWORK_NORMS = NORMS.filter((norm) => setIndex(norm, DENSE).count < DENSE.n * DENSE.c);

export const NORM_LABELS = {
  none: 'No norm',
  ...Object.fromEntries(
    NETWORK_NORMS.map((norm) => [norm.id, norm.label[0].toUpperCase() + norm.label.slice(1)]),
  ),
};

/** Whether a network's norm keeps running statistics (its evaluation can differ by mode). */
export const keepsRunningStats = (id) => id !== 'none' && normOf(id).runningStats;

export const DATASET_LABELS = {
  spirals: 'Spirals',
  rings: 'Rings',
  moons: 'Moons',
  xor: 'XOR blobs',
};

export const LIMITS = {
  lr: { min: 1e-3, max: 10 },
  initScale: { min: 0.1, max: 10 },
  depth: { min: 1, max: 8 },
  batchSize: { min: 2, max: 256 },
  networks: { min: 2, max: 4 },
  seed: { min: 0, max: 2 ** 31 - 1 },
};

export const DEFAULTS = {
  dataset: 'spirals',
  lr: 0.1,
  initScale: 1,
  depth: 3,
  batchSize: 32,
  norms: ['none', 'batch'],
  seed: 1,
  steps: 2000,
};

// Sliders run over 0..SLIDER_STEPS; the value is min·(max/min)^(position/SLIDER_STEPS).
export const SLIDER_STEPS = 100;

/** The value a log slider at `position` stands for, rounded to two significant digits. */
export function fromSlider(position, { min, max }) {
  const raw = min * (max / min) ** (position / SLIDER_STEPS);
  return Number(raw.toPrecision(2));
}

/** The slider position nearest to `value`. */
export function toSlider(value, { min, max }) {
  const t = Math.log(value / min) / Math.log(max / min);
  return Math.round(Math.min(1, Math.max(0, t)) * SLIDER_STEPS);
}

/** A number as a person reads a setting: 0.001, 0.03, 1.5, 10. */
export function formatSetting(value) {
  return String(Number(value.toPrecision(3)));
}

function warn(name, raw, expected, fallback) {
  console.warn(`<norm-lab>: ${name}="${raw}" is not ${expected}; using ${fallback}`);
}

function readNumber(el, name, key, integer) {
  const raw = el.getAttribute(name);
  if (raw === null) return DEFAULTS[key];
  const value = Number(raw);
  const { min, max } = LIMITS[key];
  if (raw.trim() !== '' && Number.isFinite(value) && value >= min && value <= max) {
    if (!integer || Number.isInteger(value)) return value;
  }
  warn(
    name,
    raw,
    `${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`,
    DEFAULTS[key],
  );
  return DEFAULTS[key];
}

/** The norms="none,batch" attribute: 2 to 4 known norm names. */
export function parseNorms(raw) {
  if (raw === null) return null;
  const names = raw.split(',').map((s) => s.trim());
  const ok =
    names.length >= LIMITS.networks.min &&
    names.length <= LIMITS.networks.max &&
    names.every((n) => Object.hasOwn(NORM_LABELS, n));
  return ok ? names : null;
}

/**
 * The settings an element's attributes ask for; each bad value falls back to its default with a
 * console warning. `preset` is returned as given: the element checks it against the presets.
 */
export function readAttributes(el) {
  const rawNorms = el.getAttribute('norms');
  let norms = parseNorms(rawNorms);
  if (rawNorms !== null && !norms) {
    warn('norms', rawNorms, `2 to 4 of ${Object.keys(NORM_LABELS).join(', ')}`, DEFAULTS.norms);
  }
  const rawDataset = el.getAttribute('dataset');
  let dataset = rawDataset ?? DEFAULTS.dataset;
  if (!Object.hasOwn(DATASET_LABELS, dataset)) {
    warn(
      'dataset',
      rawDataset,
      `one of ${Object.keys(DATASET_LABELS).join(', ')}`,
      DEFAULTS.dataset,
    );
    dataset = DEFAULTS.dataset;
  }
  return {
    preset: el.getAttribute('preset'),
    settings: {
      dataset,
      lr: readNumber(el, 'lr', 'lr', false),
      initScale: readNumber(el, 'init-scale', 'initScale', false),
      depth: readNumber(el, 'depth', 'depth', true),
      batchSize: readNumber(el, 'batch-size', 'batchSize', true),
      norms: norms ?? [...DEFAULTS.norms],
      seed: readNumber(el, 'seed', 'seed', true),
      steps: DEFAULTS.steps,
    },
  };
}
