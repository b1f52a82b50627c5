// A figure's state in the page's URL fragment, so that a link reopens the figure as it was and
// back/forward step between states. One figure at a time is in the fragment, named by its key:
//   #figure=bn-demo&norm=batch&distribution=normal&batch-size=64&channels=2&groups=1&seed=1
//    &gamma=1&beta=0&eps=0.00001&mode=training&stage=raw
// The fragment is anyone's to edit: every value is checked, and an unknown or invalid one is
// dropped, so the figure takes its attribute's value or its default instead.
import { NORM_IDS, groupsDivide, normOf } from '../norms.js';
import { DISTRIBUTIONS, LIMITS, defaultsFor, limitsFor } from './population.js';

const FIELDS = [
  ['norm', 'norm'],
  ['distribution', 'distribution'],
  ['batchSize', 'batch-size'],
  ['channels', 'channels'],
  ['groups', 'groups'],
  ['seed', 'seed'],
  ['gamma', 'gamma'],
  ['beta', 'beta'],
  ['eps', 'eps'],
  ['mode', 'mode'],
  ['stage', 'stage'],
];

/** The name a figure goes by in the fragment: its id, else its place among the page's figures. */
export function figureKey(el) {
  if (el.id) return el.id;
  const all = [...(el.ownerDocument?.querySelectorAll('norm-widget') ?? [])];
  return `figure-${all.indexOf(el) + 1}`;
}

/** The fragment holding `state` (the change event's detail) for the figure `key`. */
export function fragmentFor(key, state) {
  const params = new URLSearchParams({ figure: key });
  for (const [field, name] of FIELDS) {
    if (state[field] !== undefined) params.set(name, String(state[field]));
  }
  return `#${params}`;
}

// Plain decimal notation only: Number() would also take "0x10", " 1 " and "Infinity".
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

function inRange(text, { min, max }, integer) {
  if (typeof text !== 'string' || !DECIMAL.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) return undefined;
  if (integer && !Number.isInteger(value)) return undefined;
  return value;
}

/**
 * The valid part of the fragment `hash` for the figure `key`: an object with only the fields that
 * passed their checks, or null when the fragment is not about this figure. `base` gives norm and
 * channels when the fragment does not (the figure's attributes), since the limits depend on them.
 */
export function stateFromFragment(hash, key, base) {
  let params;
  try {
    params = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  } catch {
    return null;
  }
  if (params.get('figure') !== key) return null;
  const read = (name) => params.get(name) ?? undefined;
  const state = {};
  const norm = read('norm');
  if (NORM_IDS.includes(norm)) state.norm = norm;
  const id = state.norm ?? base.norm;
  const description = normOf(id);
  const limits = limitsFor(id);
  const distribution = read('distribution');
  if (Object.hasOwn(DISTRIBUTIONS, distribution)) state.distribution = distribution;
  const integer = (field, name, range) => {
    const value = inRange(read(name), range, true);
    if (value !== undefined) state[field] = value;
  };
  const real = (field, name, range) => {
    const value = inRange(read(name), range, false);
    if (value !== undefined) state[field] = value;
  };
  integer('batchSize', 'batch-size', limits.batchSize);
  integer('channels', 'channels', limits.channels);
  integer('seed', 'seed', limits.seed);
  // A different norm in the fragment brings its own default channel count, not the attribute's.
  const channels =
    state.channels ??
    (state.norm && state.norm !== base.norm ? defaultsFor(id).channels : base.channels);
  if (description.takesGroups) {
    const groups = inRange(read('groups'), { min: 1, max: channels }, true);
    if (groups !== undefined && groupsDivide(channels, groups)) state.groups = groups;
  }
  // γ and β are one per channel: a list of that many values, or one value for every channel.
  const perChannel = (field, name, range) => {
    const text = read(name);
    if (text === undefined) return;
    const parts = text.split(',');
    if (parts.length !== 1 && parts.length !== channels) return;
    const values = parts.map((part) => inRange(part, range, false));
    if (values.some((v) => v === undefined)) return;
    state[field] = parts.length === 1 ? new Array(channels).fill(values[0]) : values;
  };
  perChannel('gamma', 'gamma', LIMITS.gamma);
  if (description.shift) perChannel('beta', 'beta', LIMITS.beta);
  // ε = 0 would divide by zero for a constant set: a shared link needs a positive one.
  const eps = inRange(read('eps'), LIMITS.eps, false);
  if (eps !== undefined && eps > 0) state.eps = eps;
  const mode = read('mode');
  if (description.runningStats && (mode === 'training' || mode === 'inference')) state.mode = mode;
  const stage = read('stage');
  if (description.stages.some((s) => s.id === stage)) state.stage = stage;
  return state;
}
