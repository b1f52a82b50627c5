// Float64 reference implementations of the five normalisations, written as plainly as possible
// (two passes per set, in double precision), to check the core against.

function moments(values) {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) * (v - mean);
  return { mean, var: sq / values.length };
}

const at = (d, n, c, s) => (n * d.c + c) * d.s + s;
const param = (array, i, fallback) => (array ? array[i] : fallback);

export function batchNormRef(x, d, o = {}) {
  const eps = o.eps ?? 1e-5,
    momentum = o.momentum ?? 0.1,
    training = o.training ?? true;
  const y = new Float64Array(x.length),
    mean = [],
    variance = [],
    runningMean = [],
    runningVar = [];
  for (let c = 0; c < d.c; c++) {
    const set = [];
    for (let n = 0; n < d.n; n++) for (let s = 0; s < d.s; s++) set.push(x[at(d, n, c, s)]);
    const rm = param(o.runningMean, c, 0),
      rv = param(o.runningVar, c, 1);
    const m = training ? moments(set) : { mean: rm, var: rv };
    const count = d.n * d.s;
    mean.push(m.mean);
    variance.push(m.var);
    runningMean.push(training ? (1 - momentum) * rm + momentum * m.mean : rm);
    runningVar.push(training ? (1 - momentum) * rv + (momentum * m.var * count) / (count - 1) : rv);
    const g = param(o.gamma, c, 1),
      b = param(o.beta, c, 0);
    for (let n = 0; n < d.n; n++) {
      for (let s = 0; s < d.s; s++) {
        const i = at(d, n, c, s);
        y[i] = (g * (x[i] - m.mean)) / Math.sqrt(m.var + eps) + b;
      }
    }
  }
  return { y, mean, var: variance, runningMean, runningVar };
}

// Group norm over contiguous sets of (c / groups) * s values; gamma/beta per channel.
export function groupNormRef(x, d, o = {}) {
  const groups = o.groups,
    eps = o.eps ?? 1e-5,
    len = (d.c / groups) * d.s;
  const y = new Float64Array(x.length),
    mean = [],
    variance = [];
  for (let set = 0; set < d.n * groups; set++) {
    const m = moments(x.slice(set * len, (set + 1) * len));
    mean.push(m.mean);
    variance.push(m.var);
    for (let k = 0; k < len; k++) {
      const i = set * len + k,
        c = Math.floor(i / d.s) % d.c;
      y[i] =
        (param(o.gamma, c, 1) * (x[i] - m.mean)) / Math.sqrt(m.var + eps) + param(o.beta, c, 0);
    }
  }
  return { y, mean, var: variance };
}

export const instanceNormRef = (x, d, o = {}) => groupNormRef(x, d, { ...o, groups: d.c });

export function layerNormRef(x, d, o = {}) {
  const eps = o.eps ?? 1e-5,
    len = d.c * d.s;
  const y = new Float64Array(x.length),
    mean = [],
    variance = [];
  for (let n = 0; n < d.n; n++) {
    const m = moments(x.slice(n * len, (n + 1) * len));
    mean.push(m.mean);
    variance.push(m.var);
    for (let k = 0; k < len; k++) {
      const i = n * len + k;
      y[i] =
        (param(o.gamma, k, 1) * (x[i] - m.mean)) / Math.sqrt(m.var + eps) + param(o.beta, k, 0);
    }
  }
  return { y, mean, var: variance };
}

export function rmsNormRef(x, d, o = {}) {
  const eps = o.eps ?? 1e-6,
    len = d.c * d.s;
  const y = new Float64Array(x.length),
    rms = [];
  for (let n = 0; n < d.n; n++) {
    let sq = 0;
    for (let k = 0; k < len; k++) sq += x[n * len + k] ** 2;
    const r = Math.sqrt(sq / len + eps);
    rms.push(r);
    for (let k = 0; k < len; k++) y[n * len + k] = (x[n * len + k] / r) * param(o.gamma, k, 1);
  }
  return { y, rms };
}

// The largest |a[i] - b[i]|. Arrays of different lengths are an error, not a clean comparison:
// a result one element short must fail, not compare its prefix.
export function maxAbsDiff(a, b) {
  if (a.length !== b.length) {
    throw new Error(`maxAbsDiff: lengths differ, ${a.length} and ${b.length}`);
  }
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    // NaN on one side only is the worst difference there is; NaN on both sides agrees.
    if (Number.isNaN(d) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return Infinity;
    if (d > worst) worst = d;
  }
  return worst;
}

// The bytes a typed array covers (its own view, not the whole buffer it may share).
export const ownBytes = (array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

// Float32 unit roundoff: the relative error of one rounding.
export const FLOAT32_U = 2 ** -24;

// A small seeded generator for test data (independent of the core's sampler).
export function lcg(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function randomArray(length, rand, { mean = 0, std = 1 } = {}) {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const u = 1 - rand(),
      v = rand();
    out[i] = mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return out;
}
