// Float64 references for the benchmark's checks: two passes per set (mean, then centred squares),
// every operation in double precision on the same float32 inputs.

// Batch norm, training: per channel over N and S.
export function batchNormRef(x, n, c, s, gamma, beta, eps) {
  const count = n * s;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      const start = (i * c + j) * s;
      for (let k = start; k < start + s; k++) mean[j] += x[k];
    }
  }
  for (let j = 0; j < c; j++) mean[j] /= count;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      const start = (i * c + j) * s;
      const m = mean[j];
      for (let k = start; k < start + s; k++) variance[j] += (x[k] - m) * (x[k] - m);
    }
  }
  for (let j = 0; j < c; j++) variance[j] /= count;
  const y = new Float64Array(x.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      const start = (i * c + j) * s;
      const m = mean[j];
      const d = Math.sqrt(variance[j] + eps);
      for (let k = start; k < start + s; k++) y[k] = (gamma[j] * (x[k] - m)) / d + beta[j];
    }
  }
  return { y, mean, var: variance };
}

// Layer norm: per sample over C and S, element-wise gamma and beta.
export function layerNormRef(x, n, c, s, gamma, beta, eps) {
  const len = c * s;
  const mean = new Float64Array(n);
  const variance = new Float64Array(n);
  const y = new Float64Array(x.length);
  for (let i = 0; i < n; i++) {
    const start = i * len;
    let sum = 0;
    for (let k = 0; k < len; k++) sum += x[start + k];
    const m = sum / len;
    let sq = 0;
    for (let k = 0; k < len; k++) sq += (x[start + k] - m) * (x[start + k] - m);
    const v = sq / len;
    const d = Math.sqrt(v + eps);
    for (let k = 0; k < len; k++) y[start + k] = (gamma[k] * (x[start + k] - m)) / d + beta[k];
    mean[i] = m;
    variance[i] = v;
  }
  return { y, mean, var: variance };
}

// The largest |a - b| / (1 + |b|) over two arrays of the same length (NaN counts as infinitely off).
export function maxRelDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i]));
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}
