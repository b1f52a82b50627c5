// Float64 gradients of the five normalisations, by the chain rule through each set's mean and
// variance, written from DESIGN.md alone: which set and which gamma entry each element uses, then
// three plain loops.

// For element i of [n, c, s]: its set and its gamma index, per operation.
function layout(op, d, groups) {
  const sample = (i) => Math.floor(i / (d.c * d.s));
  const channel = (i) => Math.floor(i / d.s) % d.c;
  switch (op) {
    case 'batch':
      return { sets: d.c, affine: d.c, set: channel, gamma: channel };
    case 'layer':
    case 'rms':
      return { sets: d.n, affine: d.c * d.s, set: sample, gamma: (i) => i % (d.c * d.s) };
    case 'instance':
      return {
        sets: d.n * d.c,
        affine: d.c,
        set: (i) => sample(i) * d.c + channel(i),
        gamma: channel,
      };
    case 'group':
      return {
        sets: d.n * groups,
        affine: d.c,
        set: (i) => sample(i) * groups + Math.floor(channel(i) / (d.c / groups)),
        gamma: channel,
      };
  }
  throw new Error(`unknown op ${op}`);
}

/**
 * op: 'batch' (training) | 'layer' | 'instance' | 'group' | 'rms'; o: { gamma, eps, groups }.
 * Returns { dx, dgamma, dbeta } as Float64Arrays (dbeta omitted for rms).
 */
export function normBackwardRef(op, dy, x, shape, o = {}) {
  const d = { s: 1, ...shape };
  const L = layout(op, d, o.groups);
  const eps = o.eps ?? (op === 'rms' ? 1e-6 : 1e-5);
  const total = d.n * d.c * d.s;
  const centre = op !== 'rms';
  const count = new Float64Array(L.sets),
    mean = new Float64Array(L.sets),
    variance = new Float64Array(L.sets);
  for (let i = 0; i < total; i++) {
    count[L.set(i)] += 1;
    if (centre) mean[L.set(i)] += x[i];
  }
  for (let k = 0; k < L.sets; k++) mean[k] /= count[k];
  for (let i = 0; i < total; i++) variance[L.set(i)] += (x[i] - mean[L.set(i)]) ** 2;
  const inv = Array.from(variance, (v, k) => 1 / Math.sqrt(v / count[k] + eps));
  const gamma = (i) => (o.gamma ? o.gamma[L.gamma(i)] : 1);
  const dVar = new Float64Array(L.sets),
    dMean = new Float64Array(L.sets);
  for (let i = 0; i < total; i++) {
    const k = L.set(i),
      g = dy[i] * gamma(i);
    dVar[k] += g * (x[i] - mean[k]) * -0.5 * inv[k] ** 3;
    if (centre) dMean[k] -= g * inv[k];
  }
  const dx = new Float64Array(total),
    dgamma = new Float64Array(L.affine),
    dbeta = new Float64Array(L.affine);
  for (let i = 0; i < total; i++) {
    const k = L.set(i),
      centred = x[i] - mean[k];
    dx[i] = dy[i] * gamma(i) * inv[k] + (2 * dVar[k] * centred) / count[k] + dMean[k] / count[k];
    dgamma[L.gamma(i)] += dy[i] * centred * inv[k];
    dbeta[L.gamma(i)] += dy[i];
  }
  return centre ? { dx, dgamma, dbeta } : { dx, dgamma };
}

// Batch norm in inference mode: the running statistics are constants.
export function batchNormInferenceBackwardRef(dy, x, shape, o = {}) {
  const d = { s: 1, ...shape };
  const eps = o.eps ?? 1e-5;
  const dx = new Float64Array(x.length),
    dgamma = new Float64Array(d.c),
    dbeta = new Float64Array(d.c);
  for (let i = 0; i < x.length; i++) {
    const c = Math.floor(i / d.s) % d.c;
    const inv = 1 / Math.sqrt((o.runningVar ? o.runningVar[c] : 1) + eps);
    const m = o.runningMean ? o.runningMean[c] : 0;
    dx[i] = dy[i] * (o.gamma ? o.gamma[c] : 1) * inv;
    dgamma[c] += dy[i] * (x[i] - m) * inv;
    dbeta[c] += dy[i];
  }
  return { dx, dgamma, dbeta };
}
