// The plain JavaScript baseline: Float32Array in and out, written as well as we can for speed.
//
// Statistics take ONE streaming pass with float64 accumulators of sum and sum of squares, then
// var = E[x^2] - E[x]^2. That is the honest fast baseline, and it is less robust than the core's
// method (cpp/src/set_stats.h): with |mean|/std around 1e4 the subtraction cancels most of the
// float64 digits, where the core's shifted and scaled second pass does not. The outputs use the
// fused y = x*scale + shift, which also loses digits when |mean|/std is large. On the benchmark's
// data (|mean|/std of a few units) both are accurate to float32 rounding.

// Batch norm, training: statistics per channel over N and S; PyTorch's running statistics.
export function batchNormPlain(
  x,
  n,
  c,
  s,
  gamma,
  beta,
  runningMean,
  runningVar,
  eps,
  momentum,
  out,
) {
  const y = out?.y ?? new Float32Array(n * c * s);
  const mean = out?.mean ?? new Float32Array(c);
  const variance = out?.var ?? new Float32Array(c);
  const rmOut = out?.runningMean ?? new Float32Array(c);
  const rvOut = out?.runningVar ?? new Float32Array(c);
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  if (s === 1) {
    // Four rows per iteration: each channel's accumulators are read and written once per four
    // rows (the fastest of the variants in plain-js-variants.mjs).
    const rows4 = n - (n % 4);
    let i = 0;
    for (; i < rows4; i += 4) {
      const b0 = i * c;
      const b1 = b0 + c;
      const b2 = b1 + c;
      const b3 = b2 + c;
      for (let j = 0; j < c; j++) {
        const v0 = x[b0 + j];
        const v1 = x[b1 + j];
        const v2 = x[b2 + j];
        const v3 = x[b3 + j];
        sum[j] += v0 + v1 + (v2 + v3);
        sq[j] += v0 * v0 + v1 * v1 + (v2 * v2 + v3 * v3);
      }
    }
    for (; i < n; i++) {
      for (let j = 0, base = i * c; j < c; j++) {
        const v = x[base + j];
        sum[j] += v;
        sq[j] += v * v;
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) {
        let a = 0;
        let b = 0;
        const start = (i * c + j) * s;
        const end = start + s;
        for (let k = start; k < end; k++) {
          const v = x[k];
          a += v;
          b += v * v;
        }
        sum[j] += a;
        sq[j] += b;
      }
    }
  }
  const count = n * s;
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    const m = sum[j] / count;
    const v = Math.max(0, sq[j] / count - m * m);
    const sc = gamma[j] / Math.sqrt(v + eps);
    scale[j] = sc;
    shift[j] = beta[j] - m * sc;
    mean[j] = m;
    variance[j] = v;
    rmOut[j] = (1 - momentum) * runningMean[j] + momentum * m;
    rvOut[j] = (1 - momentum) * runningVar[j] + (momentum * v * count) / (count - 1);
  }
  if (s === 1) {
    const rows4 = n - (n % 4);
    let i = 0;
    for (; i < rows4; i += 4) {
      const b0 = i * c;
      const b1 = b0 + c;
      const b2 = b1 + c;
      const b3 = b2 + c;
      for (let j = 0; j < c; j++) {
        const sc = scale[j];
        const sh = shift[j];
        y[b0 + j] = x[b0 + j] * sc + sh;
        y[b1 + j] = x[b1 + j] * sc + sh;
        y[b2 + j] = x[b2 + j] * sc + sh;
        y[b3 + j] = x[b3 + j] * sc + sh;
      }
    }
    for (; i < n; i++) {
      for (let j = 0, base = i * c; j < c; j++) y[base + j] = x[base + j] * scale[j] + shift[j];
    }
  } else {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) {
        const sc = scale[j];
        const sh = shift[j];
        const start = (i * c + j) * s;
        const end = start + s;
        for (let k = start; k < end; k++) y[k] = x[k] * sc + sh;
      }
    }
  }
  return { y, mean, var: variance, runningMean: rmOut, runningVar: rvOut };
}

// Layer norm: statistics per sample over C and S; element-wise gamma and beta [c*s].
export function layerNormPlain(x, n, c, s, gamma, beta, eps, out) {
  const len = c * s;
  const y = out?.y ?? new Float32Array(n * len);
  const mean = out?.mean ?? new Float32Array(n);
  const variance = out?.var ?? new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const start = i * len;
    const end = start + len;
    let a = 0;
    let b = 0;
    for (let k = start; k < end; k++) {
      const v = x[k];
      a += v;
      b += v * v;
    }
    const m = a / len;
    const v = Math.max(0, b / len - m * m);
    const inv = 1 / Math.sqrt(v + eps);
    for (let k = start, g = 0; k < end; k++, g++) y[k] = (x[k] - m) * inv * gamma[g] + beta[g];
    mean[i] = m;
    variance[i] = v;
  }
  return { y, mean, var: variance };
}
