// The element's attributes, read once when it connects. An invalid value falls back to the
// default with a console warning: a typo in a host page should not break the page.
import { DEFAULTS, DISTRIBUTIONS, LIMITS } from './population.js';

const SUPPORTED_NORMS = ['batch'];

function warn(name, value, expected, fallback) {
  console.warn(`<norm-widget>: ${name}="${value}" is not ${expected}; using ${JSON.stringify(fallback)}`);
}

function wholeNumber(el, name, { min, max }, fallback) {
  if (!el.hasAttribute(name)) return fallback;
  const text = el.getAttribute(name).trim();
  const value = Number(text);
  if (text === '' || !Number.isInteger(value) || value < min || value > max) {
    warn(name, text, `a whole number from ${min} to ${max}`, fallback);
    return fallback;
  }
  return value;
}

/**
 * @param {HTMLElement} el
 * @returns {{ norm: string, distribution: string, batchSize: number, seed: number, autoplay: boolean }}
 */
export function readAttributes(el) {
  let norm = el.getAttribute('norm') ?? DEFAULTS.norm;
  if (!SUPPORTED_NORMS.includes(norm)) {
    warn('norm', norm, `one of ${SUPPORTED_NORMS.join(', ')} (other norms are not available yet)`, DEFAULTS.norm);
    norm = DEFAULTS.norm;
  }
  let distribution = el.getAttribute('distribution') ?? DEFAULTS.distribution;
  if (!Object.hasOwn(DISTRIBUTIONS, distribution)) {
    warn('distribution', distribution, `one of ${Object.keys(DISTRIBUTIONS).join(', ')}`, DEFAULTS.distribution);
    distribution = DEFAULTS.distribution;
  }
  return {
    norm,
    distribution,
    batchSize: wholeNumber(el, 'batch-size', LIMITS.batchSize, DEFAULTS.batchSize),
    seed: wholeNumber(el, 'seed', LIMITS.seed, DEFAULTS.seed),
    autoplay: readAutoplay(el),
  };
}

// A boolean attribute: present (any value but "false") means on.
function readAutoplay(el) {
  if (!el.hasAttribute('autoplay')) return false;
  const value = el.getAttribute('autoplay').trim().toLowerCase();
  if (value === 'false') return false;
  if (!['', 'autoplay', 'true'].includes(value)) warn('autoplay', value, 'a boolean attribute (present or absent)', true);
  return true;
}
