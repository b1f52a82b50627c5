// Candidates for the plain-JavaScript baseline of batch norm over [N, C] (s = 1), timed against
// each other in interleaved rounds; the fastest became batchNormPlain in plain-js.mjs.
//   node bench/plain-js-variants.mjs [NxC ...]   (default 1024x64 4096x256 16384x512)
// Every variant takes one pass of float64 sums and sums of squares, then y = x*scale + shift.
import { batchNormPlain } from './plain-js.mjs';

// Row by row, each channel's accumulators read and written once per row (the old baseline).
function rowByRow(x, n, c, gamma, beta, y, mean, variance) {
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  for (let i = 0, base = 0; i < n; i++, base += c) {
    for (let j = 0; j < c; j++) {
      const v = x[base + j];
      sum[j] += v;
      sq[j] += v * v;
    }
  }
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  finish(sum, sq, n, c, gamma, beta, 1e-5, scale, shift, mean, variance);
  for (let i = 0, base = 0; i < n; i++, base += c) {
    for (let j = 0; j < c; j++) y[base + j] = x[base + j] * scale[j] + shift[j];
  }
}

// Channel by channel down the column: accumulators stay in registers, reads are strided.
function columnByColumn(x, n, c, gamma, beta, y, mean, variance) {
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    let a = 0;
    let b = 0;
    for (let k = j; k < n * c; k += c) {
      const v = x[k];
      a += v;
      b += v * v;
    }
    sum[j] = a;
    sq[j] = b;
  }
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  finish(sum, sq, n, c, gamma, beta, 1e-5, scale, shift, mean, variance);
  for (let j = 0; j < c; j++) {
    const sc = scale[j];
    const sh = shift[j];
    for (let k = j; k < n * c; k += c) y[k] = x[k] * sc + sh;
  }
}

// The shipped baseline: four rows per iteration (plain-js.mjs).
function fourRows(x, n, c, gamma, beta, y, mean, variance) {
  batchNormPlain(x, n, c, 1, gamma, beta, mean, variance, 1e-5, 0.1, {
    y,
    mean,
    var: variance,
    runningMean: new Float32Array(c),
    runningVar: new Float32Array(c),
  });
}

function finish(sum, sq, n, c, gamma, beta, eps, scale, shift, mean, variance) {
  for (let j = 0; j < c; j++) {
    const m = sum[j] / n;
    const v = Math.max(0, sq[j] / n - m * m);
    const sc = gamma[j] / Math.sqrt(v + eps);
    scale[j] = sc;
    shift[j] = beta[j] - m * sc;
    mean[j] = m;
    variance[j] = v;
  }
}

const VARIANTS = { rowByRow, columnByColumn, fourRows };
const sizes = (
  process.argv.length > 2 ? process.argv.slice(2) : ['1024x64', '4096x256', '16384x512']
).map((s) => s.split('x').map(Number));
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
for (const [n, c] of sizes) {
  const x = Float32Array.from({ length: n * c }, (_, i) => Math.sin(i) * 2 + (i % c));
  const gamma = new Float32Array(c).fill(1);
  const beta = new Float32Array(c);
  const outs = Object.fromEntries(
    Object.keys(VARIANTS).map((k) => [
      k,
      { y: new Float32Array(n * c), mean: new Float32Array(c), variance: new Float32Array(c) },
    ]),
  );
  const ns = Object.fromEntries(Object.keys(VARIANTS).map((k) => [k, []]));
  const reps = Math.max(1, Math.round(2e7 / (n * c)));
  for (let round = 0; round < 7; round++) {
    for (const [name, f] of Object.entries(VARIANTS)) {
      const o = outs[name];
      const t0 = process.hrtime.bigint();
      for (let r = 0; r < reps; r++) f(x, n, c, gamma, beta, o.y, o.mean, o.variance);
      if (round >= 2) ns[name].push(Number(process.hrtime.bigint() - t0) / reps / (n * c));
    }
  }
  const base = outs.rowByRow.y;
  const line = Object.keys(VARIANTS).map((k) => {
    let diff = 0;
    for (let i = 0; i < base.length; i++) diff = Math.max(diff, Math.abs(outs[k].y[i] - base[i]));
    return `${k} ${median(ns[k]).toFixed(2)} ns/element (max |dy| vs rowByRow ${diff.toExponential(1)})`;
  });
  console.log(`[${n}, ${c}]: ${line.join('; ')}`);
}
