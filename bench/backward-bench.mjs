// Backward-pass benchmark: batchNormBackward and layerNormBackward through the public API, every
// array a core.alloc handle (so the time is the call and the kernel, no copies), CPU ns per
// element, median over interleaved rounds.
//
//   node --expose-gc bench/backward-bench.mjs
//   BENCH_BASELINE=/path/to/other/core/index.js node --expose-gc bench/backward-bench.mjs
//
// With BENCH_BASELINE, a second core (for instance a copy of web/src/core, wasm included, taken
// before a change) is loaded in the same process and timed in the same rounds, and the ratio
// baseline / this core is printed per size: before/after figures measured under the same load.
// Both cores' dx must agree with a float64 computation (bench/reference.mjs is forward only, so
// the check here is against each other and against this file's own float64 batch-norm gradient).
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { loadNormCore } from '../web/src/core/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const SAMPLE_MS = Number(process.env.BENCH_SAMPLE_MS ?? 10);
const EPS = 1e-5;

const CASES = [
  { fn: 'batchNormBackward', shape: { n: 32, c: 4, s: 1 }, affine: 4 },
  { fn: 'batchNormBackward', shape: { n: 1024, c: 64, s: 1 }, affine: 64 },
  { fn: 'batchNormBackward', shape: { n: 4096, c: 256, s: 1 }, affine: 256 },
  { fn: 'batchNormBackward', shape: { n: 32, c: 64, s: 196 }, affine: 64 },
  { fn: 'layerNormBackward', shape: { n: 32, c: 4, s: 1 }, affine: 4 },
  { fn: 'layerNormBackward', shape: { n: 1024, c: 64, s: 1 }, affine: 64 },
  { fn: 'layerNormBackward', shape: { n: 4096, c: 256, s: 1 }, affine: 256 },
  { fn: 'layerNormBackward', shape: { n: 32, c: 64, s: 196 }, affine: 64 * 196 },
];

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
};
const gc = globalThis.gc ?? (() => {});

// One core's arrays for one case, as handles filled once.
function setUp(core, k, x, dy, gamma) {
  const { n, c, s } = k.shape;
  const total = n * c * s;
  const handle = (values) => {
    const h = core.alloc(values.length);
    h.array.set(values);
    return h;
  };
  const args = { x: handle(x), dy: handle(dy), gamma: handle(gamma) };
  const out = {
    dx: core.alloc(total),
    dgamma: core.alloc(k.affine),
    dbeta: core.alloc(k.affine),
  };
  const call = () => core[k.fn](args.dy, args.x, k.shape, { gamma: args.gamma, out });
  return { call, dx: () => out.dx.array };
}

// Float64 batch-norm gradient over [n, c] (s = 1), for the correctness check.
function batchNormDx(x, dy, gamma, n, c) {
  const dx = new Float64Array(n * c);
  for (let j = 0; j < c; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * c + j];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * c + j] - mean) ** 2;
    const inv = 1 / Math.sqrt(v / n + EPS);
    let sdy = 0,
      sdyx = 0;
    for (let i = 0; i < n; i++) {
      sdy += dy[i * c + j];
      sdyx += dy[i * c + j] * (x[i * c + j] - mean) * inv;
    }
    for (let i = 0; i < n; i++) {
      const xh = (x[i * c + j] - mean) * inv;
      dx[i * c + j] = gamma[j] * inv * (dy[i * c + j] - sdy / n - (xh * sdyx) / n);
    }
  }
  return dx;
}

function worstRelative(got, ref) {
  let worst = 0,
    scale = 1;
  for (let i = 0; i < ref.length; i++) {
    worst = Math.max(worst, Math.abs(got[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return worst / scale;
}

function repsFor(call) {
  let reps = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) call();
    if (performance.now() - t >= SAMPLE_MS / 4 || reps > 1e6) break;
    reps *= 2;
  }
  const t = performance.now();
  for (let i = 0; i < reps; i++) call();
  const per = (performance.now() - t) / reps;
  return Math.max(1, Math.round(SAMPLE_MS / Math.max(per, 1e-6)));
}

// CPU time (user + system) per call: on this shared machine wall-clock samples are often cut by
// other processes; CPU time is not (cache sharing still is).
function sample(call, reps) {
  gc();
  const t = process.cpuUsage();
  for (let i = 0; i < reps; i++) call();
  const used = process.cpuUsage(t);
  return (used.user + used.system) / 1000 / reps;
}

const core = await loadNormCore();
const baseline = process.env.BENCH_BASELINE
  ? await (await import(pathToFileURL(process.env.BENCH_BASELINE).href)).loadNormCore()
  : null;
console.log(
  `Backward benchmark: Node ${process.versions.node}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ` +
    `load ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(
        ' ',
      )}; core ${core.variant}${baseline ? `, baseline ${process.env.BENCH_BASELINE}` : ''}; ` +
    `handles for every array; ${WARMUP} warm-up + ${ROUNDS} rounds, median CPU ns per element`,
);

const runs = CASES.map((k, index) => {
  const { n, c, s } = k.shape;
  const total = n * c * s;
  const x = core.sample({ n, c, s, seed: 11 + index, mean: 2, std: 3 });
  const dy = core.sample({ n, c, s, seed: 31 + index });
  const gamma = core.sample({ n: 1, c: k.affine, seed: 51 + index, mean: 1, std: 0.2 });
  const impls = [{ name: 'core', ...setUp(core, k, x, dy, gamma) }];
  if (baseline) impls.push({ name: 'baseline', ...setUp(baseline, k, x, dy, gamma) });
  for (const impl of impls) {
    impl.call();
    if (k.fn === 'batchNormBackward' && s === 1) {
      const error = worstRelative(impl.dx(), batchNormDx(x, dy, gamma, n, c));
      if (!(error <= 1e-5)) throw new Error(`${impl.name} ${k.fn} ${n}x${c}: dx off by ${error}`);
    }
    impl.reps = repsFor(impl.call);
    impl.times = [];
  }
  if (baseline) {
    const error = worstRelative(impls[0].dx(), impls[1].dx());
    if (!(error <= 1e-5))
      throw new Error(`${k.fn} ${n}x${c}x${s}: core and baseline differ by ${error}`);
  }
  return { k, total, impls, ratios: [] };
});

for (let round = 0; round < WARMUP + ROUNDS; round++) {
  for (const run of runs) {
    const order = round % 2 ? [...run.impls].reverse() : run.impls;
    const t = {};
    for (const impl of order) t[impl.name] = sample(impl.call, impl.reps);
    if (round < WARMUP) continue;
    for (const impl of run.impls) impl.times.push(t[impl.name]);
    if (baseline) run.ratios.push(t.baseline / t.core);
  }
}

for (const { k, total, impls, ratios } of runs) {
  const { n, c, s } = k.shape;
  const ns = (impl) => ((median(impl.times) * 1e6) / total).toPrecision(3);
  let line = `  ${k.fn} [${n}, ${c}${s > 1 ? `, ${s}` : ''}]: core ${ns(impls[0])} ns/element`;
  if (baseline) {
    line += `, baseline ${ns(impls[1])}; baseline / core ${median(ratios).toFixed(2)} (${Math.min(
      ...ratios,
    ).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`;
  }
  console.log(line);
}
