// The element's attributes, read when it connects and again whenever one changes. An invalid value
// falls back to the default with a console warning: a typo in a host page should not break the page.
import { NORM_IDS, normOf } from '../norms.js';
import { DEFAULTS, DISTRIBUTIONS, defaultsFor, limitsFor } from './population.js';

/** Each observed attribute and the property that mirrors it. */
export const ATTRIBUTES = Object.freeze({
  norm: 'norm',
  distribution: 'distribution',
  'batch-size': 'batchSize',
  channels: 'channels',
  seed: 'seed',
  autoplay: 'autoplay',
});

function warn(name, value, expected, fallback) {
  console.warn(
    `<norm-widget>: ${name}="${value}" is not ${expected}; using ${JSON.stringify(fallback)}`,
  );
}

function wholeNumber(el, name, { min, max }, fallback, why = '') {
  if (!el.hasAttribute(name)) return fallback;
  const text = el.getAttribute(name).trim();
  const value = Number(text);
  if (text === '' || !Number.isInteger(value) || value < min || value > max) {
    warn(name, text, `a whole number from ${min} to ${max}${why}`, fallback);
    return fallback;
  }
  return value;
}

/**
 * @param {HTMLElement} el
 * @returns {{ norm: string, distribution: string, batchSize: number, channels: number, seed: number, autoplay: boolean }}
 */
export function readAttributes(el) {
  let norm = el.getAttribute('norm') ?? DEFAULTS.norm;
  if (!NORM_IDS.includes(norm)) {
    warn('norm', norm, `one of ${NORM_IDS.join(', ')}`, DEFAULTS.norm);
    norm = DEFAULTS.norm;
  }
  let distribution = el.getAttribute('distribution') ?? DEFAULTS.distribution;
  if (!Object.hasOwn(DISTRIBUTIONS, distribution)) {
    warn(
      'distribution',
      distribution,
      `one of ${Object.keys(DISTRIBUTIONS).join(', ')}`,
      DEFAULTS.distribution,
    );
    distribution = DEFAULTS.distribution;
  }
  // Batch size and channels have limits of their own for each norm.
  const defaults = defaultsFor(norm);
  const limits = limitsFor(norm);
  const why = normOf(norm).perExample ? ` for norm="${norm}"` : '';
  return {
    norm,
    distribution,
    batchSize: wholeNumber(el, 'batch-size', limits.batchSize, defaults.batchSize, why),
    channels: wholeNumber(el, 'channels', limits.channels, defaults.channels, why),
    seed: wholeNumber(el, 'seed', limits.seed, defaults.seed),
    autoplay: readAutoplay(el),
  };
}

// A boolean attribute: present (any value but "false") means on.
function readAutoplay(el) {
  if (!el.hasAttribute('autoplay')) return false;
  const value = el.getAttribute('autoplay').trim().toLowerCase();
  if (value === 'false') return false;
  if (!['', 'autoplay', 'true'].includes(value))
    warn('autoplay', value, 'a boolean attribute (present or absent)', true);
  return true;
}
